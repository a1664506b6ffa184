#!/bin/bash
# tsplay lab: OpenShift-3.11-shaped master hosts as systemd-nspawn containers.
# Usage: npm run lab -- <verb> [args]   (see lab/README.md)
set -euo pipefail
export LC_ALL=C

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for f in common deps image pki host provision etcd oc inventory topology like verbs faults fill-etcd; do
  # shellcheck source=/dev/null
  . "$LAB_DIR/lib/$f.sh"
done

usage() {
  cat <<'EOF'
usage: npm run lab -- <verb> [args]

  up [--masters N] [--nodes K] [--etcd-hosts E] [--etcd service|static-pod|mixed]
                            build the image if needed, boot master-0..N-1 and lb (default N=3),
                            wait for etcd, load the known data; K plain nodes node-0..K-1
                            (default 0; --masters 0 --nodes K for nodes only); etcd on E dedicated
                            hosts etcd-0..E-1 (default 0: on the masters), as etcd.service (default)
                            or as a static pod the node service runs; mixed: etcd.service on
                            master-0, the static pod on the other masters
  up --like PATH            a lab shaped like the operator's inventory PATH (names, groups, etcd
                            placement); writes their inventory plus the connection variables
  status [--json]           hosts, etcd members (health, leader, raft index), haproxy backends
  (HOST: master-1, etcd-0, lb, node-2, a full name, or in a --like lab the inventory's name)
  kill HOST                 hard power-off (SIGKILL to the host's init)
  start HOST                boot HOST again with whatever its disk holds
  wipe-etcd HOST            destroy HOST's etcd data; leave etcd stopped and disabled there
  break-quorum [--keep H]   kill every etcd member but one (default the first); verify quorum is lost
  verify-data [--serializable] [--json]
                            read the known keys back and count the matches
  exec HOST -- CMD...       run CMD inside HOST (as root, through nsenter)
  freeze HOST | thaw HOST   stop (SIGSTOP) / continue HOST's sshd and its sessions: connections stay open, nothing answers
  fill HOST PATH | unfill HOST PATH
                            make PATH's file system full (a tmpfs with PATH's contents, filled) / give it room again
  break-etcd-conf HOST | mend-etcd-conf HOST
                            add / remove a value in etcd.conf that etcd cannot parse (it will not start)
  fill-etcd HOST [--quota BYTES] | unfill-etcd HOST
                            lower HOST's etcd space quota (default 8 MiB) and write until NOSPACE is raised,
                            then delete the filler and compact (the DB keeps its size) / etcd.conf's own quota
                            again, filler gone, NOSPACE disarmed
  inventory [N] [--nodes K] [--etcd-hosts E] [--etcd MODE] [--fqdn]
                            print the inventory for N masters (and K nodes); --fqdn as an operator
                            writes it (FQDNs, openshift-ansible and connection variables only)
  reset [--masters N] [--nodes K] [--etcd-hosts E] [--etcd MODE] [--like PATH]
                            back to a clean, healthy cluster with the known data
  down                      power off every host and delete their disks (keeps the image)
  image                     build the base image only
EOF
}

verb=${1:-help}
(( $# )) && shift
case $verb in
  help|-h|--help) usage; exit 0 ;;
  inventory) verb_inventory "$@"; exit 0 ;;
esac

require_root_debian
case $verb in
  up) take_lock; verb_up "$@" ;;
  status) verb_status "$@" ;;
  kill) take_lock; verb_kill "$@" ;;
  start) take_lock; verb_start "$@" ;;
  wipe-etcd) take_lock; verb_wipe_etcd "$@" ;;
  break-quorum) take_lock; verb_break_quorum "$@" ;;
  verify-data) verb_verify_data "$@" ;;
  exec) verb_exec "$@" ;;
  freeze) take_lock; verb_freeze "$@" ;;
  thaw) take_lock; verb_thaw "$@" ;;
  fill) take_lock; verb_fill "$@" ;;
  unfill) take_lock; verb_unfill "$@" ;;
  break-etcd-conf) take_lock; verb_break_etcd_conf "$@" ;;
  mend-etcd-conf) take_lock; verb_mend_etcd_conf "$@" ;;
  fill-etcd) take_lock; verb_fill_etcd "$@" ;;
  unfill-etcd) take_lock; verb_unfill_etcd "$@" ;;
  reset) take_lock; verb_reset "$@" ;;
  down) take_lock; verb_down "$@" ;;
  image) take_lock; ensure_deps; ensure_image ;;
  *) usage >&2; die "unknown verb '$verb'" ;;
esac
