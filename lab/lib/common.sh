# Shared constants and small helpers for the lab command.
# shellcheck shell=bash

LAB_CACHE=${TSPLAY_LAB_CACHE:-/var/cache/tsplay-lab}   # base image, kept across `down`
LAB_STATE=${TSPLAY_LAB_STATE:-/var/lib/tsplay-lab}     # per-host disks, CA, keys
LAB_LOCK=/run/tsplay-lab.lock                          # serialises lab commands
LAB_CGROUP=tsplay-lab                                  # cgroup folder name in each hierarchy
LAB_SUBNET=127.0.10
LAB_LB_IP=$LAB_SUBNET.10
LAB_DOMAIN=example.com
LAB_MAX_MASTERS=9                                      # .1-.9; .10 is the load balancer
LAB_ETCD_BASE=11                                       # dedicated etcd-i lives on 127.0.10.(11+i)
LAB_MAX_ETCD=9                                         # etcd members, co-located or dedicated: .11-.19
LAB_DEFAULT_MASTERS=3
LAB_NODE_BASE=20                                       # node-i lives on 127.0.10.(20+i)
LAB_MAX_NODES=230                                      # .20-.249
LAB_DATA_PREFIX=/tsplay-lab/data/
LAB_DATA_KEYS=1000
LAB_USER_PASSWORD=tsplay-lab                           # password of users deploy and ops

LAB_REPO=$(cd "$LAB_DIR/.." && pwd)
LAB_INV_DIR=$LAB_REPO/inventories/lab
LAB_GEN_DIR=$LAB_INV_DIR/.lab                          # generated, git-ignored
LAB_KEY=$LAB_GEN_DIR/id_ed25519
LAB_KNOWN_HOSTS=$LAB_GEN_DIR/known_hosts

log() { printf '%s\n' "lab: $*" >&2; }
die() { printf '%s\n' "lab: error: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Masters are numbered from 0; master-i lives on 127.0.10.(i+1).
master_ip() { echo "$LAB_SUBNET.$(( $1 + 1 ))"; }

# Plain nodes (no etcd) are numbered from 0; node-i lives on 127.0.10.(20+i).
node_ip() { echo "$LAB_SUBNET.$(( $1 + LAB_NODE_BASE ))"; }

# Dedicated etcd hosts are numbered from 0; etcd-i lives on 127.0.10.(11+i).
etcd_host_ip() { echo "$LAB_SUBNET.$(( $1 + LAB_ETCD_BASE ))"; }

host_ip() {
  case $1 in
    lb) echo "$LAB_LB_IP" ;;
    master-[0-9]) master_ip "${1#master-}" ;;
    etcd-[0-9]) etcd_host_ip "${1#etcd-}" ;;
    node-[0-9]*) node_ip "${1#node-}" ;;
    *) return 1 ;;
  esac
}

# A host's full name: ID.example.com, or the operator's name in a lab built
# with `up --like` (lab/lib/topology.sh keeps the map).
host_fqdn() {
  local f
  if [[ -s $LAB_STATE/names ]] && f=$(awk -v h="$1" '$1 == h { print $2; found = 1; exit } END { exit !found }' "$LAB_STATE/names"); then
    echo "$f"
  else
    echo "$1.$LAB_DOMAIN"
  fi
}

# Number of masters the lab was brought up with (0 when it never was).
lab_masters() { cat "$LAB_STATE/masters" 2>/dev/null || echo 0; }

# Number of plain nodes the lab was brought up with (0 when none).
lab_nodes() { cat "$LAB_STATE/nodes" 2>/dev/null || echo 0; }

# lab_hosts [MASTERS [NODES]]: masters, dedicated etcd hosts, lb (when there are
# masters and the topology has one), then nodes.
lab_hosts() {
  local n=${1:-$(lab_masters)} k=${2:-$(lab_nodes)} i
  for (( i = 0; i < n; i++ )); do echo "master-$i"; done
  if (( n > 0 )); then
    for (( i = 0; i < $(lab_etcd_hosts); i++ )); do echo "etcd-$i"; done
    lab_has_lb && echo lb
  fi
  for (( i = 0; i < k; i++ )); do echo "node-$i"; done
  return 0
}

lab_masters_list() {
  local n=${1:-$(lab_masters)} i
  for (( i = 0; i < n; i++ )); do echo "master-$i"; done
}

valid_host() {
  local h=$1 n
  n=$(lab_masters)
  (( n > 0 || $(lab_nodes) > 0 )) || die "the lab is not up (run: npm run lab -- up)"
  local all
  all=$(lab_hosts)
  # No `lab_hosts | grep -q`: grep leaving early can kill lab_hosts with SIGPIPE, and pipefail makes that a miss.
  [[ $'\n'$all$'\n' == *$'\n'"$h"$'\n'* ]] || die "unknown host '$h' (hosts: $(tr '\n' ' ' <<<"$all"))"
}

host_dir() { echo "$LAB_STATE/hosts/$1"; }

# Comma-separated client/peer URL lists of the lab's etcd members (lab_etcd_members,
# lab/lib/topology.sh); the argument, a master count, is accepted and ignored.
etcd_client_urls() {
  local h out=
  for h in $(lab_etcd_members); do out+=${out:+,}https://$(host_ip "$h"):2379; done
  echo "$out"
}

etcd_initial_cluster() {
  local h out=
  for h in $(lab_etcd_members); do out+=${out:+,}$(host_fqdn "$h")=https://$(host_ip "$h"):2380; done
  echo "$out"
}

# Everything that changes the image goes into its id, so an edited recipe rebuilds it.
image_id() {
  { echo "bookworm $LAB_IMAGE_PACKAGES"
    cd "$LAB_DIR" && find image -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-12
}

image_dir() { echo "$LAB_CACHE/image-$(image_id)"; }

require_root_debian() {
  [[ $(id -u) == 0 ]] || die "the lab needs root: it runs systemd-nspawn, mounts overlayfs and writes $LAB_STATE. Run it as root (sudo npm run lab -- ...)."
  [[ -r /etc/os-release ]] && . /etc/os-release
  [[ ${ID:-} == debian ]] || die "the lab needs Debian (12, bookworm): it builds its hosts with mmdebstrap from this machine's apt sources; this is '${PRETTY_NAME:-unknown}'."
  [[ ${VERSION_ID:-} == 12 ]] || log "warning: tested on Debian 12; this is Debian ${VERSION_ID:-unknown}"
}

# One lab command at a time changes the lab; read-only verbs skip this.
take_lock() {
  exec 9>"$LAB_LOCK"
  if ! flock -n 9; then
    log "waiting for another lab command to finish ($LAB_LOCK)"
    flock 9
  fi
}
