# The Ansible-style INI inventory of the lab, in the documents' layout.
# inventories/lab/hosts (committed) is this output for 3 masters; `up --masters N`
# with another N writes inventories/lab/.lab/hosts-N instead.
# shellcheck shell=bash

# gen_inventory N DIR [K [FQDN]]: DIR is where the key and known_hosts are, as Ansible
# sees it; K plain nodes. The topology (etcd hosts and deployment) is the lab's
# current one (lab/lib/topology.sh). Either way the inventory carries only what
# an operator's does (connection variables and openshift-ansible's own), so the
# playbooks discover the rest from the hosts. FQDN=1 writes it as an operator
# writes one: hosts by their full names, without openshift_hostname.
gen_inventory() {
  local n=$1 dir=$2 k=${3:-0} fqdn=${4:-0} i h ek mode flags=
  ek=$(lab_etcd_hosts); mode=$(lab_etcd_mode)
  (( n != LAB_DEFAULT_MASTERS )) && flags+=" --masters $n"
  (( ek )) && flags+=" --etcd-hosts $ek"
  [[ $mode != service ]] && flags+=" --etcd $mode"
  (( k )) && flags+=" --nodes $k"
  cat <<EOF
# The tsplay lab: $n OpenShift 3.11-shaped masters ($( ((ek)) && echo "etcd on $ek dedicated hosts" || echo "etcd co-located")$([[ $mode == static-pod ]] && echo ", as static pods")$([[ $mode == mixed ]] && echo ", etcd.service on master-0 and static pods on the others")) and a load balancer$( ((k)) && echo ", $k plain nodes"),
# as systemd-nspawn containers on loopback addresses. Brought up by: npm run lab -- up$flags
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
EOF
  echo
  echo "[masters]"
  for (( i = 0; i < n; i++ )); do _inventory_host "master-$i" "$fqdn"; done
  echo
  echo "[etcd]"
  for h in $(lab_etcd_members); do
    if [[ $h == master-* ]]; then _inventory_name "$h" "$fqdn"; echo; else _inventory_host "$h" "$fqdn"; fi
  done
  echo
  echo "[nodes]"
  for (( i = 0; i < n; i++ )); do echo "$(_inventory_name "master-$i" "$fqdn") openshift_node_group_name='node-config-master'"; done
  for (( i = 0; i < k; i++ )); do
    h=node-$i
    echo "$(_inventory_name "$h" "$fqdn") ansible_host=$(node_ip "$i")$( ((fqdn)) || echo " openshift_hostname=$(host_fqdn "$h")") openshift_ip=$(node_ip "$i") openshift_node_group_name='node-config-compute'"
  done
  echo
  echo "[lb]"
  (( n > 0 )) && echo "$(_inventory_name lb "$fqdn") ansible_host=$LAB_LB_IP$( ((fqdn)) || echo " openshift_hostname=$(host_fqdn lb)") openshift_ip=$LAB_LB_IP"
  return 0
}

_inventory_name() { if (( $2 )); then printf '%s' "$(host_fqdn "$1")"; else printf '%s' "$1"; fi; }

# A master's or etcd host's line: its address and openshift-ansible's names for
# it; what its etcd member is called the playbooks read from the host.
_inventory_host() {
  local h=$1 fqdn=$2 ip
  ip=$(host_ip "$h")
  if (( fqdn )); then
    echo "$(host_fqdn "$h") ansible_host=$ip openshift_ip=$ip"
  else
    echo "$h ansible_host=$ip openshift_hostname=$(host_fqdn "$h") openshift_ip=$ip"
  fi
}

# Path of the inventory that matches the running lab: hosts-N, or hosts-N-nodes-K with nodes.
# Another topology adds -etcd-K and/or -static-pod (-mixed); a --like lab has its own (like_inventory_path).
inventory_path() {
  local n=${1:-$(lab_masters)} k=${2:-$(lab_nodes)} topo=
  if lab_like; then like_inventory_path; return; fi
  (( $(lab_etcd_hosts) )) && topo+=-etcd-$(lab_etcd_hosts)
  [[ $(lab_etcd_mode) == static-pod ]] && topo+=-static-pod
  [[ $(lab_etcd_mode) == mixed ]] && topo+=-mixed
  if (( k > 0 )); then echo "$LAB_GEN_DIR/hosts-$n$topo-nodes-$k"
  elif (( n == LAB_DEFAULT_MASTERS )) && [[ -z $topo ]]; then echo "$LAB_INV_DIR/hosts"
  else echo "$LAB_GEN_DIR/hosts-$n$topo"; fi
}

write_inventory() {
  local n=$1 k=${2:-0}
  if lab_like; then
    write_like_inventory
  elif [[ $(inventory_path "$n" "$k") != "$LAB_INV_DIR/hosts" ]]; then
    mkdir -p "$LAB_GEN_DIR"
    gen_inventory "$n" "$LAB_GEN_DIR" "$k" >"$(inventory_path "$n" "$k")"
  else
    # The committed file is the source; say so if someone edited it.
    if ! diff -q <(gen_inventory "$n" '{{ inventory_dir }}/.lab') "$LAB_INV_DIR/hosts" >/dev/null 2>&1; then
      log "warning: inventories/lab/hosts differs from what the lab generates (npm run lab -- inventory 3)"
    fi
  fi
}

# inventory [N] [--nodes K] [--etcd-hosts K] [--etcd MODE] [--fqdn]: prints the
# inventory of that lab; --fqdn the one an operator would write for it.
verb_inventory() {
  local n=$LAB_DEFAULT_MASTERS
  [[ ${1:-} =~ ^[0-9]+$ ]] && { n=$1; shift; }
  parse_up "$n" 0 "$@"
  n=$UP_MASTERS
  [[ -z $UP_LIKE ]] || die "inventory takes no --like: \`up --like PATH\` writes that inventory"
  # The topology asked for, in a scratch state folder: the lab's own is untouched.
  LAB_STATE=$(mktemp -d)
  trap 'rm -rf "$LAB_STATE"' EXIT
  LAB_WANT=$LAB_STATE/.want
  echo "$n" >"$LAB_STATE/masters"
  stage_wanted "${UP_ETCD_HOSTS:-0}" "${UP_ETCD_MODE:-service}"
  commit_topology || true
  if (( UP_FQDN )); then gen_inventory "$n" "$LAB_GEN_DIR" "$UP_NODES" 1
  elif [[ $(inventory_path "$n" "$UP_NODES") == "$LAB_INV_DIR/hosts" ]]; then gen_inventory "$n" '{{ inventory_dir }}/.lab'
  else gen_inventory "$n" "$LAB_GEN_DIR" "$UP_NODES"; fi
}
