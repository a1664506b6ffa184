# The lab's etcd topology: where etcd runs (co-located on the masters or on
# dedicated hosts etcd-0..K-1), how (etcd.service or a static pod), and, for a
# lab built with `up --like`, the operator's host names.
#
# State, in $LAB_STATE (written by `up`/`reset`, read by every verb):
#   etcd-hosts    K, the number of dedicated etcd hosts (0: co-located)
#   etcd-mode     service | static-pod | mixed (master-0 etcd.service, the other masters the static pod)
#   etcd-members  the lab ids of the etcd members, one a line
#   lb            1 when the topology has a load balancer, 0 when not
#   names         "ID FQDN INVENTORY-NAME" per host, only for `up --like`
#   like          the operator's inventory a `--like` lab copies (absent otherwise)
#   login-user    the operator's ansible_user, created on every host (--like only)
# `up` stages the wanted topology in $LAB_STATE/.want/ and commits it; a
# different topology means new disks for every host.
# shellcheck shell=bash

LAB_TOPOLOGY_FILES="etcd-hosts etcd-mode etcd-members lb names like login-user"
LAB_WANT=$LAB_STATE/.want

lab_etcd_hosts() { cat "$LAB_STATE/etcd-hosts" 2>/dev/null || echo 0; }
lab_etcd_mode() { cat "$LAB_STATE/etcd-mode" 2>/dev/null || echo service; }
lab_has_lb() { [[ $(cat "$LAB_STATE/lb" 2>/dev/null || echo 1) == 1 ]]; }
lab_like() { [[ -s $LAB_STATE/like ]]; }

# The etcd members' lab ids: the masters (co-located) unless told otherwise.
lab_etcd_members() {
  if [[ -s $LAB_STATE/etcd-members ]]; then cat "$LAB_STATE/etcd-members"
  else lab_masters_list; fi
}

is_etcd_member() { [[ $'\n'$(lab_etcd_members)$'\n' == *$'\n'"$1"$'\n'* ]]; }

# The etcd members run as static pods only where a node service runs them
# (masters); mixed: every master but master-0, which keeps etcd.service (a
# cluster whose other masters a later installer run replaced).
etcd_runs_as_pod() {
  local mode
  mode=$(lab_etcd_mode)
  [[ $1 == master-* ]] && is_etcd_member "$1" || return 1
  [[ $mode == static-pod || ( $mode == mixed && $1 != master-0 ) ]]
}

# The name a host goes by in the operator's inventory (the lab id when not --like).
host_inventory_name() {
  local f
  if [[ -s $LAB_STATE/names ]] && f=$(awk -v h="$1" '$1 == h { print $3; found = 1; exit } END { exit !found }' "$LAB_STATE/names"); then
    echo "$f"
  else
    echo "$1"
  fi
}

# resolve_host NAME: the lab id of NAME, given as the id (master-1, etcd-0), the
# host's FQDN, its inventory name or the first label of its FQDN; dies otherwise.
resolve_host() {
  local want=$1 h fqdn all
  (( $(lab_masters) > 0 || $(lab_nodes) > 0 )) || die "the lab is not up (run: npm run lab -- up)"
  all=$(lab_hosts)
  for h in $all; do
    [[ $h == "$want" ]] && { echo "$h"; return 0; }
  done
  for h in $all; do
    fqdn=$(host_fqdn "$h")
    if [[ $want == "$fqdn" || $want == "${fqdn%%.*}" || $want == "$(host_inventory_name "$h")" ]]; then
      echo "$h"; return 0
    fi
  done
  die "unknown host '$want' (hosts: $(for h in $all; do printf '%s ' "$(host_inventory_name "$h")"; done))"
}

# The name to show a user for a host: its inventory name.
host_label() { host_inventory_name "$1"; }

# parse_topology DEFAULT_K DEFAULT_MODE: reads TOPO_ARGS (the flags of up/reset
# not about sizes) and sets UP_ETCD_HOSTS, UP_ETCD_MODE, UP_LIKE, UP_TOPOLOGY_GIVEN.
valid_etcd_hosts() {
  [[ $1 =~ ^[0-9]+$ ]] && (( $1 <= LAB_MAX_ETCD )) \
    || die "--etcd-hosts must be a number from 0 (etcd on the masters) to $LAB_MAX_ETCD (got '$1')"
}

valid_etcd_mode() {
  [[ $1 == service || $1 == static-pod || $1 == mixed ]] \
    || die "--etcd must be 'service' (etcd.service), 'static-pod' (/etc/origin/node/pods/etcd.yaml) or 'mixed' (master-0 etcd.service, the other masters the static pod) (got '$1')"
}

# check_topology N K MODE: the combinations OpenShift 3.11 runs.
check_topology() {
  local n=$1 k=$2 mode=$3
  if (( k > 0 )) && [[ $mode == static-pod ]]; then
    die "--etcd static-pod runs etcd on the masters (the node service starts it); dedicated etcd hosts run etcd.service: use --etcd-hosts 0 or --etcd service"
  fi
  if (( k > 0 )) && [[ $mode == mixed ]]; then
    die "--etcd mixed runs etcd on the masters (master-0 etcd.service, the others the static pod): use --etcd-hosts 0"
  fi
  if [[ $mode == mixed ]] && (( n < 2 )); then die "--etcd mixed needs 2 masters or more (master-0 etcd.service, the others the static pod)"; fi
  if (( k > 0 && n == 0 )); then die "dedicated etcd hosts need masters (--masters 1..$LAB_MAX_MASTERS)"; fi
  return 0
}

# stage_topology N K MODE: the generated topology (no --like) in $LAB_WANT.
stage_topology() {
  local n=$1 k=$2 mode=$3 i
  rm -rf "$LAB_WANT"; mkdir -p "$LAB_WANT"
  echo "$k" >"$LAB_WANT/etcd-hosts"
  echo "$mode" >"$LAB_WANT/etcd-mode"
  if (( k > 0 )); then
    for (( i = 0; i < k; i++ )); do echo "etcd-$i"; done
  else
    for (( i = 0; i < n; i++ )); do echo "master-$i"; done
  fi >"$LAB_WANT/etcd-members"
  echo 1 >"$LAB_WANT/lb"
  : >"$LAB_WANT/names"
  : >"$LAB_WANT/like"
  : >"$LAB_WANT/login-user"
}

# stage_current: the running lab's topology again (reset without topology flags).
stage_current() {
  local f
  rm -rf "$LAB_WANT"; mkdir -p "$LAB_WANT"
  for f in $LAB_TOPOLOGY_FILES; do
    if [[ -e $LAB_STATE/$f ]]; then cp "$LAB_STATE/$f" "$LAB_WANT/$f"; else : >"$LAB_WANT/$f"; fi
  done
  [[ -s $LAB_WANT/etcd-hosts ]] || echo 0 >"$LAB_WANT/etcd-hosts"
  [[ -s $LAB_WANT/etcd-mode ]] || echo service >"$LAB_WANT/etcd-mode"
  [[ -s $LAB_WANT/lb ]] || echo 1 >"$LAB_WANT/lb"
  [[ -s $LAB_WANT/etcd-members ]] || lab_masters_list >"$LAB_WANT/etcd-members"
}

_topology_signature() { # DIR
  local f
  for f in $LAB_TOPOLOGY_FILES; do echo "== $f"; cat "$1/$f" 2>/dev/null; done | sha256sum | cut -c1-16
}

# Makes the staged topology the lab's; returns 0 when it differs from the one
# the hosts' disks were provisioned for (so they must be rebuilt).
commit_topology() {
  local old new f
  old=$(cat "$LAB_STATE/.topology" 2>/dev/null || echo none)
  new=$(_topology_signature "$LAB_WANT")
  for f in $LAB_TOPOLOGY_FILES; do mv -f "$LAB_WANT/$f" "$LAB_STATE/$f"; done
  rmdir "$LAB_WANT" 2>/dev/null || true
  echo "$new" >"$LAB_STATE/.topology"
  # A lab from before topologies were recorded was the default one.
  if [[ $old == none ]]; then
    [[ $(lab_etcd_hosts) != 0 || $(lab_etcd_mode) != service ]] || lab_like
    return
  fi
  [[ $old != "$new" ]]
}

# A one-line description of the topology, for `up`'s summary.
topology_summary() {
  local k mode
  k=$(lab_etcd_hosts); mode=$(lab_etcd_mode)
  if (( k > 0 )); then echo "etcd on $k dedicated hosts ($mode)"
  elif [[ $mode == mixed ]]; then echo "etcd co-located (mixed: etcd.service on master-0, static pods on the others)"
  else echo "etcd co-located ($([[ $mode == static-pod ]] && echo "static pods" || echo "etcd.service"))"; fi
}

# stage_wanted K MODE: checks and stages the generated topology for UP_MASTERS.
stage_wanted() {
  check_topology "$UP_MASTERS" "$1" "$2"
  stage_topology "$UP_MASTERS" "$1" "$2"
}
