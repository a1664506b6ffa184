# The lab's verbs.
# shellcheck shell=bash

valid_count() {
  [[ $1 =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= LAB_MAX_MASTERS )) \
    || die "--masters must be a number from 1 to $LAB_MAX_MASTERS (got '$1')"
}

valid_nodes() {
  [[ $1 =~ ^[0-9]+$ ]] && (( $1 <= LAB_MAX_NODES )) \
    || die "--nodes must be a number from 0 to $LAB_MAX_NODES (got '$1')"
}

# parse_up DEFAULT_MASTERS DEFAULT_NODES ARGS...: sets UP_MASTERS and UP_NODES from
# "--masters N" and "--nodes K" ("--masters 0" only with nodes).
parse_up() {
  UP_MASTERS=$1 UP_NODES=$2; shift 2
  UP_ETCD_HOSTS= UP_ETCD_MODE= UP_LIKE= UP_FQDN=0
  while (( $# )); do
    case $1 in
      --etcd-hosts) UP_ETCD_HOSTS=${2:-}; shift 2 || die "--etcd-hosts needs a number" ;;
      --etcd-hosts=*) UP_ETCD_HOSTS=${1#--etcd-hosts=}; shift ;;
      --etcd) UP_ETCD_MODE=${2:-}; shift 2 || die "--etcd needs 'service', 'static-pod' or 'mixed'" ;;
      --etcd=*) UP_ETCD_MODE=${1#--etcd=}; shift ;;
      --like) UP_LIKE=${2:-}; shift 2 || die "--like needs the path of an inventory" ;;
      --like=*) UP_LIKE=${1#--like=}; shift ;;
      --fqdn) UP_FQDN=1; shift ;;
      --masters) UP_MASTERS=${2:-}; shift 2 || die "--masters needs a number" ;;
      --masters=*) UP_MASTERS=${1#--masters=}; shift ;;
      --nodes) UP_NODES=${2:-}; shift 2 || die "--nodes needs a number" ;;
      --nodes=*) UP_NODES=${1#--nodes=}; shift ;;
      *) die "unknown argument '$1'" ;;
    esac
  done
  valid_nodes "$UP_NODES"
  [[ -z $UP_ETCD_HOSTS ]] || valid_etcd_hosts "$UP_ETCD_HOSTS"
  [[ -z $UP_ETCD_MODE ]] || valid_etcd_mode "$UP_ETCD_MODE"
  if [[ $UP_MASTERS == 0 ]] && (( UP_NODES > 0 )); then return 0; fi
  valid_count "$UP_MASTERS"
}

# Kills several hosts at once: the SIGKILLs go out together, then each is waited for.
hosts_kill() {
  local h pid
  for h in "$@"; do
    pid=$(host_init_pid "$h") && kill -KILL "$pid" 2>/dev/null
  done
  for h in "$@"; do host_kill "$h"; done
}

# What a killed earlier run leaves: hosts of another size, processes in cgroup
# folders of hosts that no longer exist, dead hosts' cgroup folders.
recover_stale() {
  local n=$1 k=$2 want d h
  want=" $(lab_hosts "$n" "$k" | tr '\n' ' ') "
  for d in "$CG_V1"/*/ "$CG_V2"/*/ "$LAB_STATE"/hosts/*/; do
    [[ -d $d ]] || continue
    h=$(basename "$d")
    if [[ $want != *" $h "* ]]; then
      host_kill "$h"; host_umount "$h"; rm -rf --one-file-system "${LAB_STATE:?}/hosts/$h"
    elif ! host_is_up "$h"; then
      _cgroup_cleanup "$h"
    fi
  done
  return 0
}

# Each host's systemd takes several inotify instances; Debian's 128 per user stops
# containers from booting after about 20 hosts (the 21st host's init never starts).
raise_limits() {
  local key want
  for key in fs.inotify.max_user_instances:8192 fs.inotify.max_user_watches:1048576; do
    want=${key#*:}; key=${key%%:*}
    (( $(sysctl -n "$key") >= want )) || sysctl -q -w "$key=$want" >/dev/null
  done
  return 0
}

# Brings up N masters and lb, and K plain nodes; with fresh=1 every host gets a new disk first.
# Nodes come and go without touching the masters.
# The topology (lab/lib/topology.sh) is staged in $LAB_WANT by the caller.
bring_up() {
  local n=$1 k=$2 fresh=$3 h t0 img
  local hosts
  t0=$(now)
  ensure_deps
  ensure_image
  ensure_client_key
  img=$(image_dir)
  # Another size, topology or image means other disks: start over.
  if [[ $(lab_masters) != "$n" ]]; then fresh=1; fi
  if commit_topology; then fresh=1; fi
  mapfile -t hosts < <(lab_hosts "$n" "$k")
  for h in "${hosts[@]}"; do
    [[ $(cat "$LAB_STATE/hosts/$h/image" 2>/dev/null) == "$img" ]] || fresh=1
  done
  recover_stale "$n" "$k"
  (( k > 0 )) && raise_limits
  if (( fresh )); then
    hosts_kill "${hosts[@]}"
    for h in "${hosts[@]}"; do host_umount "$h"; rm -rf --one-file-system "${LAB_STATE:?}/hosts/$h"; done
  fi
  echo "$n" >"$LAB_STATE/masters"
  echo "$k" >"$LAB_STATE/nodes"
  for h in "${hosts[@]}"; do
    if [[ ! -f $LAB_STATE/hosts/$h/provisioned ]]; then
      host_create_disk "$h"
      provision_host "$h" "$n"
      touch "$LAB_STATE/hosts/$h/provisioned"
    fi
  done
  # Every host is launched first, then each is waited for: many nodes boot together.
  for h in "${hosts[@]}"; do
    host_is_up "$h" && continue
    host_boot "$h" nowait
  done
  for h in "${hosts[@]}"; do host_wait_started "$h"; done
  prune_images
  write_known_hosts
  write_inventory "$n" "$k"
  wait_running "${hosts[@]}"
  if (( n > 0 )); then
    wait_etcd_healthy 60
    wait_services "${hosts[@]}"
    load_data
    seed_nodes
    log "up: $n masters$(lab_has_lb && echo " + lb") running, $(topology_summary), etcd healthy, $LAB_DATA_KEYS keys loaded$( ((k)) && echo ", $k nodes") ($(since "$t0") s)"
  else
    wait_services "${hosts[@]}"
    log "up: $k nodes running, no masters ($(since "$t0") s)"
  fi
  log "inventory: $(inventory_path "$n" "$k")"
}

# Every host's lab services active and no failed unit; a unit in a restart loop fails within seconds.
wait_services() {
  local h pid units deadline=$(( SECONDS + 20 )) failed
  for h in "$@"; do
    units=ssh.service
    if [[ $h == lb ]]; then units+=" haproxy.service"
    elif [[ $h == node-* ]]; then units+=" atomic-openshift-node.service"
    elif [[ $h == etcd-* ]]; then units+=" etcd.service"
    else
      is_etcd_member "$h" && units+=" $(etcd_unit "$h")"
      units+=" atomic-openshift-node.service atomic-openshift-master-api.service atomic-openshift-master-controllers.service flanneld.service"
    fi
    while :; do
      pid=$(host_init_pid "$h") || die "$h stopped"
      # shellcheck disable=SC2086
      host_nsenter "$pid" systemctl is-active --quiet $units && \
        [[ -z $(host_nsenter "$pid" systemctl list-units --failed --plain --no-legend) ]] && break
      failed=$(host_nsenter "$pid" systemctl list-units --failed --plain --no-legend | awk '{print $1}' | tr '\n' ' ')
      if [[ -n $failed ]] || (( SECONDS >= deadline )); then
        # shellcheck disable=SC2086
        host_nsenter "$pid" journalctl --no-pager -o cat -n 10 ${failed:+$(printf -- '-u %s ' $failed)} >&2 || true
        die "$h: services not running (failed: ${failed:-none})"
      fi
      sleep 0.3
    done
  done
}

# `up` without --nodes means no nodes: a plain `up` is the default lab again.
# Without topology flags, `up` is the default topology (etcd.service on the masters).
verb_up() {
  parse_up "$LAB_DEFAULT_MASTERS" 0 "$@"
  if [[ -n $UP_LIKE ]]; then stage_like "$UP_LIKE"
  else stage_wanted "${UP_ETCD_HOSTS:-0}" "${UP_ETCD_MODE:-service}"; fi
  bring_up "$UP_MASTERS" "$UP_NODES" 0
}

# `reset` keeps the current topology and sizes unless told otherwise.
verb_reset() {
  local n=$(lab_masters)
  (( n > 0 || $(lab_nodes) > 0 )) || n=$LAB_DEFAULT_MASTERS
  parse_up "$n" "$(lab_nodes)" "$@"
  if [[ -n $UP_LIKE ]]; then stage_like "$UP_LIKE"
  elif lab_like && [[ -z $UP_ETCD_HOSTS$UP_ETCD_MODE && $UP_MASTERS == "$n" ]]; then stage_current
  else stage_wanted "${UP_ETCD_HOSTS:-$(lab_etcd_hosts)}" "${UP_ETCD_MODE:-$(lab_etcd_mode)}"; fi
  bring_up "$UP_MASTERS" "$UP_NODES" 1
}

verb_down() {
  local t0 d h
  t0=$(now)
  mapfile -t hs < <(for d in "$CG_V1"/*/ "$CG_V2"/*/ "$LAB_STATE"/hosts/*/; do [[ -d $d ]] && basename "$d"; done | sort -u)
  (( ${#hs[@]} )) && hosts_kill "${hs[@]}"
  for h in "${hs[@]}"; do host_umount "$h"; done
  rm -rf --one-file-system "${LAB_STATE:?}/hosts" "$LAB_STATE/masters" "$LAB_STATE/nodes"
  for d in "$CG_V1" "$CG_V2"; do [[ -d $d ]] && rmdir "$d" 2>/dev/null; done
  mountpoint -q "$NSPAWN_PROPAGATE" && umount "$NSPAWN_PROPAGATE" 2>/dev/null
  log "down: ${#hs[@]} hosts powered off and their disks deleted ($(since "$t0") s); image kept in $LAB_CACHE"
}

verb_kill() {
  local h=${1:-}
  [[ -n $h ]] || die "usage: kill HOST"
  h=$(resolve_host "$h") || exit 1
  host_is_up "$h" || { log "$h is already off"; return 0; }
  host_kill "$h"
  log "$h: powered off (hard)"
}

verb_start() {
  local h=${1:-} st
  [[ -n $h ]] || die "usage: start HOST"
  h=$(resolve_host "$h") || exit 1
  host_boot "$h"
  wait_running_or_degraded "$h"
  st=$(host_state "$h")
  log "$h: $st"
}

# After a start, a failed unit is a possible outcome (etcd that cannot rejoin), not a lab error.
# The bound is far above systemd's own: a Type=notify etcd that cannot rejoin holds the boot
# for up to its 90 s start timeout, and a loaded machine adds to it.
wait_running_or_degraded() {
  local h=$1 pid st deadline=$(( SECONDS + 300 ))
  while :; do
    pid=$(host_init_pid "$h") || die "$h stopped while booting"
    st=$(timeout 5 nsenter -t "$pid" -a systemctl is-system-running 2>/dev/null) || true
    [[ $st == running || $st == degraded ]] && return 0
    (( SECONDS < deadline )) || die "$h did not finish booting (state: ${st:-unknown})"
    sleep 0.2
  done
}

verb_wipe_etcd() {
  local h=${1:-}
  [[ -n $h ]] || die "usage: wipe-etcd HOST"
  h=$(resolve_host "$h") || exit 1
  is_etcd_member "$h" || die "$h runs no etcd (etcd members: $(lab_etcd_members | tr '\n' ' '))"
  wipe_etcd_member "$h"
}

verb_break_quorum() {
  local keep h others=() out ip
  keep=$(lab_etcd_members | head -1)
  while (( $# )); do
    case $1 in
      --keep) keep=${2:-}; shift 2 || die "--keep needs a host" ;;
      --keep=*) keep=${1#--keep=}; shift ;;
      *) die "unknown argument '$1'" ;;
    esac
  done
  keep=$(resolve_host "$keep") || exit 1
  is_etcd_member "$keep" || die "--keep must be an etcd member ($(lab_etcd_members | tr '\n' ' '))"
  (( $(lab_etcd_members | wc -l) >= 2 )) || die "one etcd member cannot lose quorum"
  for h in $(lab_etcd_members); do [[ $h != "$keep" ]] && others+=("$h"); done
  hosts_kill "${others[@]}"
  log "killed ${others[*]}; $keep keeps running"
  ip=$(host_ip "$keep")
  if out=$(lab_etcdctl --endpoints="https://$ip:2379" --command-timeout=3s put /tsplay-lab/quorum-probe x 2>&1); then
    die "quorum is NOT lost: a put through $keep succeeded"
  fi
  log "quorum lost: put through $keep fails ($(tail -1 <<<"$out"))"
  if lab_etcdctl --endpoints="https://$ip:2379" --command-timeout=3s get --consistency=s /tsplay-lab/checksum >/dev/null 2>&1; then
    log "serializable reads from $keep still work"
  else
    log "warning: serializable read from $keep failed too"
  fi
}

verb_verify_data() {
  local json=0 args=() r matching total sum expected ok
  while (( $# )); do
    case $1 in
      --serializable) args+=(--consistency=s); shift ;;
      --json) json=1; shift ;;
      *) die "unknown argument '$1'" ;;
    esac
  done
  (( $(lab_masters) > 0 )) || die "the lab has no masters (etcd) up"
  expected=$(known_checksum)
  if ! r=$(read_data "${args[@]}"); then
    if (( json )); then
      printf '{"expected":%d,"read":0,"matching":0,"checksum":null,"checksumOk":false,"error":"read failed"}\n' "$LAB_DATA_KEYS"
    fi
    log "verify-data: reading the known keys failed"
    return 1
  fi
  read -r matching total sum <<<"$r"
  ok=false; [[ $sum == "$expected" ]] && ok=true
  if (( json )); then
    printf '{"expected":%d,"read":%d,"matching":%d,"checksum":"%s","checksumOk":%s}\n' \
      "$LAB_DATA_KEYS" "$total" "$matching" "$sum" "$ok"
  else
    echo "verify-data: $matching/$LAB_DATA_KEYS known keys match (read $total); checksum $( $ok && echo "OK" || echo "MISMATCH") $sum"
  fi
  [[ $ok == true ]]
}

verb_exec() {
  local h=${1:-}
  [[ -n $h ]] || die "usage: exec HOST -- CMD..."
  shift
  [[ ${1:-} == -- ]] && shift
  h=$(resolve_host "$h") || exit 1
  (( $# )) || set -- bash -l
  host_exec "$h" "$@"
}

verb_status() {
  local json=0 n h pid st unit tmp
  [[ ${1:-} == --json ]] && json=1
  n=$(lab_masters)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  : >"$tmp/hosts"
  for h in $(lab_hosts "$n"); do
    st=$(host_state "$h"); unit=-
    if is_etcd_member "$h"; then unit=$(etcd_unit_state "$h"); fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$h" "$(host_ip "$h")" "$st" "$unit" "$(host_label "$h")" \
      "$(etcd_runs_as_pod "$h" && echo static-pod || echo service)" \
      "$(host_reboot_returns "$h" && echo yes || echo no)" >>"$tmp/hosts"
  done
  if (( n > 0 )); then
    lab_etcdctl --endpoints="$(etcd_client_urls "$n")" --command-timeout=2s endpoint status -w json >"$tmp/status" 2>/dev/null || true
    lab_etcdctl --endpoints="$(etcd_client_urls "$n")" --command-timeout=2s endpoint health -w json >"$tmp/health" 2>/dev/null || true
    host_is_up lb && host_exec lb haproxy-backends >"$tmp/haproxy" 2>/dev/null || true
  fi
  python3 - "$tmp" "$json" "$n" "$(lab_nodes)" "$(lab_etcd_hosts)" "$(lab_etcd_mode)" <<'PY'
import json, os, sys
tmp, as_json, n, k = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), int(sys.argv[4])
etcd_hosts, etcd_mode = int(sys.argv[5]), sys.argv[6]
def load(name):
    try:
        with open(os.path.join(tmp, name)) as f:
            return json.loads(f.read() or "[]")
    except (OSError, ValueError):
        return []
status = {s["Endpoint"]: s["Status"] for s in load("status")}
health = {h["endpoint"]: h for h in load("health")}
hosts = []
for line in open(os.path.join(tmp, "hosts")).read().splitlines():
    name, ip, state, unit, label, deployment, reboot_returns = line.split("\t")
    host = {"name": name, "address": ip, "state": state, "inventoryName": label,
            "rebootReturns": reboot_returns == "yes"}
    if unit != "-":
        url = f"https://{ip}:2379"
        st, hl = status.get(url), health.get(url)
        active, _, enabled = unit.partition("/")
        host["etcd"] = {
            "deployment": deployment,
            "unit": active, "enabled": enabled or None,
            "healthy": bool(hl and hl.get("health")),
            "error": (hl or {}).get("error"),
            "memberId": format(st["header"]["member_id"], "x") if st else None,
            "leaderId": format(st["leader"], "x") if st and st.get("leader") else None,
            "isLeader": bool(st and st.get("leader") and st["leader"] == st["header"]["member_id"]),
            "raftIndex": st.get("raftIndex") if st else None,
            "raftTerm": st.get("raftTerm") if st else None,
        }
    hosts.append(host)
backends = []
try:
    for line in open(os.path.join(tmp, "haproxy")).read().splitlines():
        b, server, addr, st = line.split(" ", 3)
        backends.append({"backend": b, "server": server, "address": addr, "status": st})
except OSError:
    pass
if as_json:
    print(json.dumps({"masters": n, "nodes": k, "etcdHosts": etcd_hosts, "etcdDeployment": etcd_mode, "hosts": hosts, "haproxy": backends}))
    sys.exit(0)
if n == 0 and k == 0:
    print("the lab is down (npm run lab -- up)")
    sys.exit(0)
w = max([9] + [len(h["inventoryName"]) for h in hosts])
print(f"{'HOST':{w}} {'ADDRESS':12} {'STATE':9} {'ETCD':22} {'MEMBER':17} {'HEALTH':10} {'LEADER':7} {'RAFT INDEX':>10}")
for h in hosts:
    e = h.get("etcd")
    if not e:
        print(f"{h['inventoryName']:{w}} {h['address']:12} {h['state']:9}")
        continue
    # etcd.service: active/enabled; a static pod: pod:active/manifest (the manifest in pods/ or not)
    unit = ("pod:" if e["deployment"] == "static-pod" else "") + e["unit"] + (f"/{e['enabled']}" if e["enabled"] else "")
    health = "healthy" if e["healthy"] else ("down" if e["memberId"] is None else "unhealthy")
    leader = "yes" if e["isLeader"] else ("-" if e["leaderId"] else "none")
    print(f"{h['inventoryName']:{w}} {h['address']:12} {h['state']:9} {unit:22} {e['memberId'] or '-':17} {health:10} {leader:7} {e['raftIndex'] if e['raftIndex'] is not None else '-':>10}")
by = {}
for b in backends:
    by.setdefault(b["backend"], []).append(f"{b['server']} {b['address']} {b['status']}")
for b, servers in by.items():
    print(f"haproxy backend {b}: " + ", ".join(servers))
if not backends and n > 0:
    print("haproxy: not reachable")
PY
}
