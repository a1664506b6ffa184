# The Ansible-style INI inventory of the lab, in the documents' layout.
# inventories/lab/hosts (committed) is this output for 3 masters; `up --masters N`
# with another N writes inventories/lab/.lab/hosts-N instead.
# shellcheck shell=bash

# gen_inventory N DIR [K]: DIR is where the key and known_hosts are, as Ansible sees it; K plain nodes.
gen_inventory() {
  local n=$1 dir=$2 k=${3:-0} i h
  cat <<EOF
# The tsplay lab: $n OpenShift 3.11-shaped masters (etcd co-located) and a load balancer$( ((k)) && echo ", $k plain nodes"),
# as systemd-nspawn containers on loopback addresses. Brought up by: npm run lab -- up$( ((n != LAB_DEFAULT_MASTERS)) && echo " --masters $n")$( ((k)) && echo " --nodes $k")
# The key and known_hosts are written by \`up\` (git-ignored); host keys are checked strictly.

[OSEv3:children]
masters
nodes
etcd
lb

[OSEv3:vars]
ansible_user=root
ansible_python_interpreter=/usr/bin/python3
ansible_ssh_private_key_file=$dir/id_ed25519
ansible_ssh_common_args='-o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'
openshift_deployment_type=openshift-enterprise
openshift_release=v3.11
openshift_master_cluster_method=native
openshift_master_cluster_hostname=$(host_fqdn lb)
openshift_master_cluster_public_hostname=$(host_fqdn lb)
openshift_use_flannel=true
# Users on every host: deploy (sudo without password), ops (sudo asks for lab_user_password).
lab_sudo_user=deploy
lab_password_sudo_user=ops
lab_user_password=$LAB_USER_PASSWORD
lab_data_prefix=$LAB_DATA_PREFIX
lab_data_keys=$LAB_DATA_KEYS

[masters]
EOF
  for (( i = 0; i < n; i++ )); do
    h=master-$i
    echo "$h ansible_host=$(master_ip "$i") openshift_hostname=$(host_fqdn "$h") openshift_ip=$(master_ip "$i") etcd_ip=$(master_ip "$i") etcd_name=$(host_fqdn "$h")"
  done
  echo
  echo "[etcd]"
  for (( i = 0; i < n; i++ )); do echo "master-$i"; done
  echo
  echo "[nodes]"
  for (( i = 0; i < n; i++ )); do echo "master-$i openshift_node_group_name='node-config-master'"; done
  for (( i = 0; i < k; i++ )); do
    h=node-$i
    echo "$h ansible_host=$(node_ip "$i") openshift_hostname=$(host_fqdn "$h") openshift_ip=$(node_ip "$i") openshift_node_group_name='node-config-compute'"
  done
  echo
  echo "[lb]"
  (( n > 0 )) && echo "lb ansible_host=$LAB_LB_IP openshift_hostname=$(host_fqdn lb) openshift_ip=$LAB_LB_IP"
  return 0
}

# Path of the inventory that matches the running lab: hosts-N, or hosts-N-nodes-K with nodes.
inventory_path() {
  local n=${1:-$(lab_masters)} k=${2:-$(lab_nodes)}
  if (( k > 0 )); then echo "$LAB_GEN_DIR/hosts-$n-nodes-$k"
  elif (( n == LAB_DEFAULT_MASTERS )); then echo "$LAB_INV_DIR/hosts"; else echo "$LAB_GEN_DIR/hosts-$n"; fi
}

write_inventory() {
  local n=$1 k=${2:-0}
  if (( k > 0 )); then
    mkdir -p "$LAB_GEN_DIR"
    gen_inventory "$n" "$LAB_GEN_DIR" "$k" >"$(inventory_path "$n" "$k")"
  elif (( n == LAB_DEFAULT_MASTERS )); then
    # The committed file is the source; say so if someone edited it.
    if ! diff -q <(gen_inventory "$n" '{{ inventory_dir }}/.lab') "$LAB_INV_DIR/hosts" >/dev/null 2>&1; then
      log "warning: inventories/lab/hosts differs from what the lab generates (npm run lab -- inventory 3)"
    fi
  else
    mkdir -p "$LAB_GEN_DIR"
    gen_inventory "$n" "$LAB_GEN_DIR" >"$LAB_GEN_DIR/hosts-$n"
  fi
}

# inventory [N] [--nodes K]
verb_inventory() {
  local n=$LAB_DEFAULT_MASTERS
  [[ ${1:-} =~ ^[0-9]+$ ]] && { n=$1; shift; }
  parse_up "$n" 0 "$@"
  n=$UP_MASTERS
  if (( n == LAB_DEFAULT_MASTERS && UP_NODES == 0 )); then gen_inventory "$n" '{{ inventory_dir }}/.lab'
  else gen_inventory "$n" "$LAB_GEN_DIR" "$UP_NODES"; fi
}
