# fill-etcd / unfill-etcd: an etcd member that reaches its space quota and
# raises the NOSPACE alarm for real, then the space history compaction frees
# (the state a defragmentation is for), and the way back.
# shellcheck shell=bash

LAB_FILL_ETCD_PREFIX=/tsplay-lab/fill/
LAB_FILL_ETCD_MARK='# tsplay-lab fill-etcd: a low space quota (undo: npm run lab -- unfill-etcd HOST)'
LAB_FILL_ETCD_DEFAULT_QUOTA=$(( 8 * 1024 * 1024 ))
LAB_FILL_ETCD_VALUE_BYTES=$(( 256 * 1024 ))

# The quota lines fill-etcd appends to /etc/etcd/etcd.conf (read by etcd.service and the static pod alike);
# the last assignment wins over the file's own ETCD_QUOTA_BACKEND_BYTES.
_fill_conf_set() {
  local f=$1 quota=$2
  _fill_conf_clear "$f"
  printf '%s\nETCD_QUOTA_BACKEND_BYTES=%s\n' "$LAB_FILL_ETCD_MARK" "$quota" >>"$f"
}

_fill_conf_clear() {
  local f=$1
  grep -qxF "$LAB_FILL_ETCD_MARK" "$f" || return 0
  # The mark and the quota line after it go; every other line stays.
  awk -v mark="$LAB_FILL_ETCD_MARK" '$0 == mark { skip = 1; next } skip && /^ETCD_QUOTA_BACKEND_BYTES=/ { skip = 0; next } { skip = 0; print }' "$f" >"$f.tsplay-lab" \
    && cat "$f.tsplay-lab" >"$f" && rm -f "$f.tsplay-lab"
}

_fill_restart_member() {
  local h=$1 unit
  unit=$(etcd_unit "$h")
  host_exec "$h" systemctl restart "$unit" || die "$h: systemctl restart $unit failed"
  wait_etcd_healthy 120
}

_fill_alarms() { lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=5s alarm list 2>/dev/null; }

verb_fill_etcd() {
  local h= quota=$LAB_FILL_ETCD_DEFAULT_QUOTA ep value i max err rev
  while (( $# )); do
    case $1 in
      --quota) quota=${2:-}; shift 2 || die "--quota needs a number of bytes" ;;
      --quota=*) quota=${1#--quota=}; shift ;;
      -*) die "unknown option '$1' (usage: fill-etcd HOST [--quota BYTES])" ;;
      *) [[ -z $h ]] || die "usage: fill-etcd HOST [--quota BYTES]"; h=$1; shift ;;
    esac
  done
  [[ -n $h ]] || die "usage: fill-etcd HOST [--quota BYTES]"
  [[ $quota =~ ^[0-9]+$ ]] && (( quota >= 2 * 1024 * 1024 && quota <= 1024 * 1024 * 1024 )) \
    || die "--quota must be a number of bytes from 2097152 (2 MiB) to 1073741824 (1 GiB) (got '$quota')"
  h=$(resolve_host "$h")
  is_etcd_member "$h" || die "$h runs no etcd member"
  host_is_up "$h" || die "$h is not running"
  etcd_all_healthy || die "etcd is not healthy; fill-etcd starts from a healthy cluster"
  _fill_conf_set "$(host_root "$h")/etc/etcd/etcd.conf" "$quota"
  _fill_restart_member "$h"
  ep="https://$(host_ip "$h"):2379"
  value=$(head -c "$LAB_FILL_ETCD_VALUE_BYTES" /dev/zero | tr '\0' x)
  # Each put adds a value to the DB of every member; HOST's, past its quota, raises NOSPACE.
  max=$(( quota / LAB_FILL_ETCD_VALUE_BYTES * 4 + 64 ))
  for (( i = 0; i < max; i++ )); do
    if ! err=$(lab_etcdctl --endpoints="$ep" --command-timeout=10s put "${LAB_FILL_ETCD_PREFIX}$(printf %05d "$i")" <<<"$value" 2>&1 >/dev/null); then
      [[ $err == *"database space exceeded"* ]] && break
      die "$h: a put failed before the quota was reached: $(grep -v '^{' <<<"$err" | tail -1)"
    fi
  done
  (( i < max )) || die "$h: $max puts of $LAB_FILL_ETCD_VALUE_BYTES bytes did not reach the quota of $quota bytes"
  _fill_alarms | grep -q 'alarm:NOSPACE' || die "$h: the quota was reached but no NOSPACE alarm is listed"
  # Reads and deletes still work: the filler goes and history is compacted, so
  # the DB holds free space that only a defragmentation gives back.
  lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=30s del --prefix "$LAB_FILL_ETCD_PREFIX" >/dev/null \
    || die "$h: deleting the filler keys failed"
  rev=$(lab_etcdctl --endpoints="$ep" --command-timeout=10s endpoint status -w json | grep -o '"revision":[0-9]*' | head -1 | cut -d: -f2)
  lab_etcdctl --endpoints="$ep" --command-timeout=60s compact --physical "$rev" >/dev/null || die "$h: compacting to revision $rev failed"
  log "$h: quota $quota bytes reached after $i puts of $LAB_FILL_ETCD_VALUE_BYTES bytes; alarm: $(_fill_alarms | tr '\n' ' ')"
  log "filler deleted and history compacted (revision $rev): the DB keeps its size until defragmented; writes fail until NOSPACE is disarmed; undo: unfill-etcd $h"
}

# unfill-etcd HOST: etcd.conf's own quota again (etcd restarted there), the filler
# keys gone, NOSPACE disarmed. The DB keeps its size until defragmented.
verb_unfill_etcd() {
  local h=${1:-}
  [[ -n $h ]] || die "usage: unfill-etcd HOST"
  h=$(resolve_host "$h")
  is_etcd_member "$h" || die "$h runs no etcd member"
  host_is_up "$h" || die "$h is not running"
  if grep -qxF "$LAB_FILL_ETCD_MARK" "$(host_root "$h")/etc/etcd/etcd.conf"; then
    _fill_conf_clear "$(host_root "$h")/etc/etcd/etcd.conf"
    _fill_restart_member "$h"
  fi
  lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=30s del --prefix "$LAB_FILL_ETCD_PREFIX" >/dev/null \
    || die "deleting the filler keys failed"
  if _fill_alarms | grep -q 'alarm:NOSPACE'; then
    lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=10s alarm disarm >/dev/null || die "alarm disarm failed"
  fi
  log "$h: etcd.conf's own quota again, filler gone, alarms: $(_fill_alarms | tr '\n' ' ' || true)"
}
