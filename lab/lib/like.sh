# `up --like PATH`: a lab shaped like an operator's OpenShift 3.11 inventory.
# tsplay's own loader reads the inventory (`tsplay inventory -i PATH --list`),
# so the lab sees the hosts and groups the playbooks will see. Each host of
# [masters], [etcd], [lb] and [nodes] (and any other host of the inventory)
# becomes a lab host with the operator's name on a loopback address:
#   masters        master-0..N-1 (127.0.10.1-9), in [masters] order
#   etcd           co-located when every [etcd] host is a master; dedicated
#                  etcd-0..K-1 (127.0.10.11-19) when none is
#   lb             lb (127.0.10.10), at most one
#   anything else  plain hosts node-0.. (127.0.10.20+)
# etcd runs as openshift-ansible 3.11 runs it: a static pod where it is
# co-located with the masters (3.10 and later run the whole control plane,
# etcd included, as static pods), etcd.service from the RPM on dedicated hosts;
# `--etcd service` overrides it for co-located etcd.
# The inventory it writes is the operator's file, unchanged, followed by one
# [all] section that adds to each host only how to reach the lab's copy of it.
# shellcheck shell=bash

LAB_LIKE_DIR=$LAB_GEN_DIR/like

# The written inventory: .lab/like/<the operator's file name>.
like_inventory_path() { echo "$LAB_LIKE_DIR/$(basename "$(head -1 "$LAB_STATE/like")")"; }

# stage_like PATH: reads the operator's inventory, refuses what the lab cannot
# copy, stages the topology and sets UP_MASTERS and UP_NODES.
stage_like() {
  local src=$1 cli json err summary
  [[ -f $src ]] || die "--like $src: no such file (give the path of your openshift-ansible inventory, e.g. /etc/ansible/hosts)"
  src=$(realpath "$src")
  case $src in
    *.yml|*.yaml|*.json) die "--like $src: the lab copies INI inventories (openshift-ansible's format); write this one as INI" ;;
  esac
  cli=$LAB_REPO/dist/bin/tsplay.cjs
  [[ -f $cli ]] || die "--like reads the inventory with tsplay's own loader, which is not built: run npm run build first"
  err=$(mktemp)
  json=$(node "$cli" inventory -i "$src" --list 2>"$err") || {
    # Its message in one paragraph: the code frame under it is left out.
    local msg; msg=$(grep -Ev '^(>| ) *[0-9]* *\|' "$err" | grep -v '^ *$' | paste -sd' ' -); rm -f "$err"
    die "--like $src: tsplay cannot read it: $msg"
  }
  rm -f "$err"
  rm -rf "$LAB_WANT"; mkdir -p "$LAB_WANT"
  summary=$(python3 "$LAB_DIR/lib/like_map.py" "$LAB_WANT" "$src" "${UP_ETCD_MODE:-}" \
    "$LAB_MAX_MASTERS" "$LAB_MAX_ETCD" "$LAB_MAX_NODES" <<<"$json") || exit 1
  read -r UP_MASTERS UP_NODES <<<"$summary"
  check_topology "$UP_MASTERS" "$(cat "$LAB_WANT/etcd-hosts")" "$(cat "$LAB_WANT/etcd-mode")"
}

# The operator's file, then per host: ansible_host, the lab's key and known_hosts,
# and only where the lab needs it, ansible_user/ansible_port/ansible_python_interpreter
# (see lib/like_map.py, which chose them).
write_like_inventory() {
  local src out tmp id name extra
  src=$(head -1 "$LAB_STATE/like")
  out=$(like_inventory_path)
  mkdir -p "$LAB_LIKE_DIR"
  tmp=$out.tmp
  {
    cat "$src"
    echo
    echo "# --- added by the tsplay lab (npm run lab -- up --like $src):"
    echo "# --- how to reach the lab's copy of each host; nothing else differs."
    echo "[all]"
    while read -r id _ name extra; do
      echo "$name ansible_host=$(host_ip "$id") ansible_ssh_private_key_file=$LAB_KEY ansible_ssh_common_args='-o UserKnownHostsFile=$LAB_KNOWN_HOSTS -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'${extra:+ $extra}"
    done <"$LAB_STATE/names"
  } >"$tmp"
  mv "$tmp" "$out"
}

# The operator's login user (when not root) on a like-lab host: the lab's key, sudo without a password.
provision_login_user() {
  local h=$1 root user
  user=$(cat "$LAB_STATE/login-user" 2>/dev/null) || return 0
  [[ -n $user && $user != root ]] || return 0
  root=$(host_root "$h")
  chroot "$root" /bin/sh -c "id -u '$user' >/dev/null 2>&1 || useradd -m -s /bin/bash '$user'" >/dev/null 2>&1 \
    || die "could not create the user '$user' on $h"
  install -d -m 700 "$root/home/$user/.ssh"
  install -m 600 "$PKI/ssh/id_ed25519.pub" "$root/home/$user/.ssh/authorized_keys"
  chroot "$root" chown -R "$user:$user" "/home/$user/.ssh"
  echo "$user ALL=(ALL) NOPASSWD: ALL" >"$root/etc/sudoers.d/lab-login"
  chmod 440 "$root/etc/sudoers.d/lab-login"
}
