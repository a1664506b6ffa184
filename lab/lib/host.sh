# One host = one overlayfs disk + one systemd-nspawn container with systemd as PID 1.
# Every process of host H lives in the cgroup folder tsplay-lab/H (name=systemd
# hierarchy), which is how the lab finds them again after its own process died.
# shellcheck shell=bash

CG_V1=/sys/fs/cgroup/systemd/$LAB_CGROUP
CG_V2=/sys/fs/cgroup/unified/$LAB_CGROUP
NSPAWN_PROPAGATE=/run/systemd/nspawn

host_root() { echo "$LAB_STATE/hosts/$1/root"; }

# PIDs of every process of host H.
host_pids() {
  local cg=$CG_V1/$1
  [[ -d $cg ]] || return 0
  find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null
}

# The host's init (systemd), seen from here: the process that is PID 1 in its namespace.
host_init_pid() {
  local p line f self
  read -ra self <<<"$(grep '^NSpid:' /proc/self/status)"
  for p in $(host_pids "$1"); do
    line=$(grep -s '^NSpid:' "/proc/$p/status") || continue
    read -ra f <<<"$line"
    if (( ${#f[@]} == ${#self[@]} + 1 )) && [[ ${f[2]} == 1 ]]; then
      echo "$p"; return 0
    fi
  done
  return 1
}

host_is_up() { host_init_pid "$1" >/dev/null; }

LAUNCHER_NAME=tsplay-lab-launcher

# Whether H runs under a launcher that boots it again after a reboot (a host a
# lab of before that launcher booted powers off instead; `kill` + `start` mends it).
host_reboot_returns() {
  local p
  # The launcher sits in the host's own cgroup folder, systemd-nspawn in supervisor/ below it,
  # the host's own processes in payload/ (not looked at: a host may run hundreds).
  for p in $(cat "$CG_V1/$1/cgroup.procs" "$CG_V1/$1/supervisor/cgroup.procs" 2>/dev/null); do
    [[ $({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) == *" $LAUNCHER_NAME:$1 "* ]] && return 0
  done
  return 1
}

# running / degraded / starting / stopped (disk, no processes) / absent (no disk)
host_state() {
  local h=$1 pid st
  if pid=$(host_init_pid "$h"); then
    st=$(host_nsenter "$pid" systemctl is-system-running 2>/dev/null) || true
    echo "${st:-starting}"
  elif [[ -d $LAB_STATE/hosts/$h/upper ]]; then
    echo stopped
  else
    echo absent
  fi
}

host_nsenter() {
  local pid=$1; shift
  nsenter -t "$pid" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

host_exec() {
  local h=$1 pid; shift
  pid=$(host_init_pid "$h") || die "$h is not running"
  host_nsenter "$pid" "$@"
}

# Removes the host's cgroup folders, deepest first; folders still holding processes stay.
_cgroup_cleanup() {
  local d
  for d in "$CG_V1/$1" "$CG_V2/$1"; do
    [[ -d $d ]] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  return 0
}

host_mount() {
  local h=$1 dir img root
  dir=$LAB_STATE/hosts/$h; root=$dir/root
  img=$(cat "$dir/image")
  [[ -f $img/.tsplay-lab-image ]] || die "$h's disk is based on a missing image ($img); run: npm run lab -- reset"
  mkdir -p "$dir/upper" "$dir/work" "$root"
  mountpoint -q "$root" && return 0
  mount -t overlay "tsplay-lab-$h" -o "lowerdir=$img,upperdir=$dir/upper,workdir=$dir/work" "$root"
}

host_umount() {
  local root
  root=$(host_root "$1")
  mountpoint -q "$root" || return 0
  umount "$root" 2>/dev/null || umount -l "$root"
}

# A fresh disk for H on the current image; the old one, if any, is gone.
host_create_disk() {
  local h=$1 dir
  dir=$LAB_STATE/hosts/$h
  host_kill "$h"
  host_umount "$h"
  rm -rf --one-file-system "$dir"
  mkdir -p "$dir"
  image_dir >"$dir/image"
  host_mount "$h"
}

# host_boot H [nowait]: launches H's container; waits until its init runs unless told not to.
host_boot() {
  local h=$1 root log
  host_is_up "$h" && return 0
  root=$(host_root "$h")
  host_mount "$h"
  mountpoint -q "$NSPAWN_PROPAGATE" || { mkdir -p "$NSPAWN_PROPAGATE"; mount -t tmpfs -o mode=755 tmpfs "$NSPAWN_PROPAGATE"; }
  _cgroup_cleanup "$h"
  mkdir -p "$CG_V1/$h" "$CG_V2/$h"
  log=$LAB_STATE/hosts/$h/console.log
  echo "=== boot $(date -Is)" >>"$log"
  # --keep-unit puts the container in the launching process's cgroup: give each
  # host its own folder first, or hosts share one and stopping one disturbs the others.
  # The host outlives this command, so it must not inherit any descriptor but
  # 0-2: a lock the caller holds (`flock LOCK npm run lab -- reset`) would
  # otherwise stay held by the running hosts and block the next taker forever.
  # A host reboots as a machine does: systemd-nspawn exits with 133 when the
  # host's systemd reboots (`systemctl reboot`, `shutdown -r`), and this launcher
  # (its $0 is "$LAUNCHER_NAME:H", which `host_reboot_returns` looks for) boots
  # the same disk again. Any other exit (a poweroff, `kill`) ends it.
  setsid -f bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; (( fd > 2 )) && eval "exec $fd>&-"; done
    echo $$ >"$1/cgroup.procs" && echo $$ >"$2/cgroup.procs" && shift 2 || exit 1
    while :; do
      "$@"; rc=$?
      (( rc == 133 )) || exit "$rc"
      echo "=== reboot $(date -Is)"
    done' "$LAUNCHER_NAME:$h" \
    "$CG_V1/$h" "$CG_V2/$h" \
    systemd-nspawn --quiet --boot --directory="$root" --machine="$h" --register=no --keep-unit \
      --console=pipe --resolv-conf=off --timezone=off --link-journal=no \
    </dev/null >>"$log" 2>&1 9>&-
  [[ ${2:-} == nowait ]] || host_wait_started "$h"
}

host_wait_started() {
  local h=$1 i
  for (( i = 0; i < 300; i++ )); do
    host_is_up "$h" && return 0
    sleep 0.1
  done
  die "$h did not start; see $LAB_STATE/hosts/$h/console.log"
}

# Hard power-off: SIGKILL to the host's init ends every process in its PID namespace at once.
host_kill() {
  local h=$1 pid i
  if pid=$(host_init_pid "$h"); then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for (( i = 0; i < 100; i++ )); do
    [[ -z $(host_pids "$h") ]] && break
    # Leftovers (the nspawn process, or processes of a run that died) go too.
    (( i > 20 )) && kill -KILL $(host_pids "$h") 2>/dev/null
    sleep 0.1
  done
  [[ -z $(host_pids "$h") ]] || die "could not stop $h (pids: $(host_pids "$h" | tr '\n' ' '))"
  _cgroup_cleanup "$h"
}

# Waits until systemd inside every given host reports the boot finished.
wait_running() {
  local h pid st deadline=$(( SECONDS + 90 + $# ))
  for h in "$@"; do
    while :; do
      pid=$(host_init_pid "$h") || die "$h stopped while booting; see $LAB_STATE/hosts/$h/console.log"
      st=$(timeout 5 nsenter -t "$pid" -a systemctl is-system-running 2>/dev/null) || true
      case $st in
        running) break ;;
        degraded)
          die "$h booted degraded: $(host_nsenter "$pid" systemctl --failed --plain --no-legend | awk '{print $1}' | tr '\n' ' ')" ;;
      esac
      (( SECONDS < deadline )) || die "$h did not reach 'running' (state: ${st:-unknown})"
      sleep 0.2
    done
  done
}
