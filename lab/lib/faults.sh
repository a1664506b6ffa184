# Faults a host brings, injected on demand: a frozen SSH, a full file system,
# a bad etcd.conf. Each has its undo; powering a host off is `kill` (host.sh).
# shellcheck shell=bash

LAB_FILL_FS=tsplay-lab-fill                 # the tmpfs `fill` mounts (its source name, in /proc/mounts)
LAB_FILL_FILE=.tsplay-lab-fill              # the file that takes the free space
LAB_BROKEN_CONF='ETCD_HEARTBEAT_INTERVAL=broken-by-tsplay-lab'

# PIDs of H's SSH side: the listening sshd, every connection's sshd and what
# they run (the commands of a session), wherever systemd inside H put them:
# ssh.service, or the session scopes of user.slice.
ssh_pids() {
  local cg=$CG_V1/$1 d
  [[ -d $cg ]] || return 0
  # nspawn puts the host's own tree under payload/; found by name, wherever it is.
  while IFS= read -r d; do
    find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done < <(find "$cg" -type d \( -name ssh.service -o -name 'ssh@*.service' -o -name user.slice \) -prune -print)
  return 0
}

# freeze HOST: SIGSTOP to every process of the SSH side. The kernel still
# accepts TCP connections and keeps the open ones, but nothing answers: not a
# command's output, not a keepalive, not a new connection's banner. A
# process forked while the signals go out is caught by the next round.
verb_freeze() {
  local h=${1:-} i pids
  [[ -n $h ]] || die "usage: freeze HOST"
  h=$(resolve_host "$h")
  host_is_up "$h" || die "$h is not running"
  pids=$(ssh_pids "$h")
  [[ -n $pids ]] || die "$h: no sshd processes found"
  for (( i = 0; i < 3; i++ )); do
    # shellcheck disable=SC2086
    kill -STOP $(ssh_pids "$h") 2>/dev/null || true
  done
  log "$h: SSH frozen ($(ssh_pids "$h" | wc -l) processes stopped; connections stay open, nothing answers; undo: thaw $h)"
}

# thaw HOST: SIGCONT to the same processes; what they were doing carries on.
verb_thaw() {
  local h=${1:-}
  [[ -n $h ]] || die "usage: thaw HOST"
  h=$(resolve_host "$h")
  host_is_up "$h" || { log "$h is not running: nothing to thaw"; return 0; }
  # shellcheck disable=SC2086
  kill -CONT $(ssh_pids "$h") 2>/dev/null || true
  log "$h: SSH thawed"
}

# The script that runs inside the host for `fill`. A tmpfs as large as what
# PATH holds now (plus a little) replaces PATH, with the same contents, owner
# and mode; a file then takes every free byte. Reads of what was there work,
# any write of more than a few bytes fails with ENOSPC.
fill_script() {
  cat <<'EOF'
set -euo pipefail
p=$1 fs=$2 filler=$3
mkdir -p "$p"
if grep -q "^$fs $p " /proc/mounts; then echo "already full"; exit 0; fi
kb=$(du -sk "$p" | cut -f1)
tmp=$(mktemp -d /run/tsplay-lab-fill.XXXXXX)
mount -t tmpfs -o "size=$(( kb + 256 ))k" "$fs" "$tmp"
cp -a "$p/." "$tmp/"
chown --reference="$p" "$tmp"; chmod --reference="$p" "$tmp"
# (A bind, then the first mount point dropped: mount --move is refused under
# the container's shared root.)
mount --bind "$tmp" "$p"
umount "$tmp"; rmdir "$tmp"
dd if=/dev/zero of="$p/$filler" bs=64k status=none 2>/dev/null || true
df -h "$p" | tail -1
EOF
}

# The script for `unfill`: the filler goes, and whatever PATH holds now (what
# was there plus what was written meanwhile) goes back onto the disk, as
# freeing space on a real disk would leave it.
unfill_script() {
  cat <<'EOF'
set -euo pipefail
p=$1 fs=$2 filler=$3
if ! grep -q "^$fs $p " /proc/mounts; then echo "not filled"; exit 0; fi
rm -f "$p/$filler"
tmp=$(mktemp -d /run/tsplay-lab-fill.XXXXXX)
mount --bind "$p" "$tmp"
umount "$p"
find "$p" -mindepth 1 -delete
cp -a "$tmp/." "$p/"
umount "$tmp"; rmdir "$tmp"
df -h "$p" | tail -1
EOF
}

valid_fill_path() {
  [[ $1 == /* && $1 != / && $1 != *..* ]] || die "PATH must be an absolute path other than / (got '$1')"
}

# fill HOST PATH: PATH's file system is full (see fill_script).
verb_fill() {
  local h=${1:-} p=${2:-} out
  [[ -n $h && -n $p ]] || die "usage: fill HOST PATH"
  h=$(resolve_host "$h"); valid_fill_path "$p"
  out=$(host_exec "$h" bash -c "$(fill_script)" _ "$p" "$LAB_FILL_FS" "$LAB_FILL_FILE") || die "$h: could not fill $p"
  log "$h: $p is full ($out); undo: unfill $h $p"
}

# unfill HOST PATH: PATH has room again, with everything it held.
verb_unfill() {
  local h=${1:-} p=${2:-} out
  [[ -n $h && -n $p ]] || die "usage: unfill HOST PATH"
  h=$(resolve_host "$h"); valid_fill_path "$p"
  out=$(host_exec "$h" bash -c "$(unfill_script)" _ "$p" "$LAB_FILL_FS" "$LAB_FILL_FILE") || die "$h: could not unfill $p"
  log "$h: $p has room again ($out)"
}

# break-etcd-conf HOST: /etc/etcd/etcd.conf gets a value etcd cannot parse,
# so etcd exits at its start (`invalid value ... for ETCD_HEARTBEAT_INTERVAL`);
# every other line stays. Works on a powered-off host too (on its disk).
conf_path() {
  local h=$1
  if host_is_up "$h"; then echo "$(host_root "$h")/etc/etcd/etcd.conf"; else host_mount "$h"; echo "$(host_root "$h")/etc/etcd/etcd.conf"; fi
}

verb_break_etcd_conf() {
  local h=${1:-} f
  [[ -n $h ]] || die "usage: break-etcd-conf HOST"
  h=$(resolve_host "$h")
  f=$(conf_path "$h")
  [[ -f $f ]] || die "$h has no /etc/etcd/etcd.conf"
  grep -qxF "$LAB_BROKEN_CONF" "$f" || printf '%s\n' "$LAB_BROKEN_CONF" >>"$f"
  log "$h: etcd.conf broken ($LAB_BROKEN_CONF); etcd will not start there; undo: mend-etcd-conf $h"
}

# mend-etcd-conf HOST: that line goes again; nothing else is touched.
verb_mend_etcd_conf() {
  local h=${1:-} f
  [[ -n $h ]] || die "usage: mend-etcd-conf HOST"
  h=$(resolve_host "$h")
  f=$(conf_path "$h")
  [[ -f $f ]] || die "$h has no /etc/etcd/etcd.conf"
  if grep -qxF "$LAB_BROKEN_CONF" "$f"; then
    sed -i "/^$LAB_BROKEN_CONF\$/d" "$f"
  fi
  log "$h: etcd.conf mended"
}
