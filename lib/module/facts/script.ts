/**
 * The one shell script that gathers a host's facts: POSIX sh and the tools
 * every Linux host has (uname, id, getent, ip, stat, cat), no Python needed.
 * It prints sections, each opened by a line `<boundary> <name>`; the
 * boundary is random per run, so nothing a file holds can open a section.
 * Only the collectors asked for run.
 */
import { shellQuote } from '../../connection/quote.js';

/** What each collector reads. `$B` is the boundary; `S name` opens a section. */
const SNIPPETS: Record<string, string> = {
  platform: [
    'S platform',
    'echo "system=$(uname -s)"; echo "kernel=$(uname -r)"; echo "kernel_version=$(uname -v)"; echo "machine=$(uname -m)"; echo "nodename=$(uname -n)"',
    'echo "long_bit=$(getconf LONG_BIT 2>/dev/null)"',
    // Python's socket.getfqdn(): the name's address, then that address's first name (or alias) with a dot.
    'h=$(uname -n); a=$(getent hosts "$h" 2>/dev/null | awk \'{print $1; exit}\')',
    'if [ -n "$a" ]; then echo "fqdn_names=$(getent hosts "$a" 2>/dev/null | head -n 1 | cut -s -d " " -f 2- | tr -s " \\t" "  ")"; fi',
    'echo "machine_id=$(cat /var/lib/dbus/machine-id 2>/dev/null || cat /etc/machine-id 2>/dev/null)"',
  ].join('\n'),
  distribution: [
    'S os-release',
    'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
    'S debian_version',
    'cat /etc/debian_version 2>/dev/null',
    'S redhat-release',
    'cat /etc/redhat-release 2>/dev/null',
    'S lsb-release',
    'cat /etc/lsb-release 2>/dev/null',
  ].join('\n'),
  lsb: ['S lsb_release', 'command -v lsb_release >/dev/null 2>&1 && lsb_release -a 2>/dev/null', 'S lsb-release', 'cat /etc/lsb-release 2>/dev/null'].join('\n'),
  user: [
    'S user',
    'echo "user_id=$(id -un)"; echo "real_user_id=$(id -ru)"; echo "effective_user_id=$(id -u)"; echo "real_group_id=$(id -rg)"; echo "effective_group_id=$(id -g)"',
    'echo "passwd=$(getent passwd "$(id -un)" 2>/dev/null || getent passwd "$(id -u)" 2>/dev/null)"',
  ].join('\n'),
  date_time: [
    'S date_time',
    // One instant: the epoch first, every field formatted from it (GNU date -d @N).
    'e=$(date +%s.%N); s=${e%.*}; n=${e#*.}',
    'echo "epoch=$s"; echo "nanos=$n"',
    'echo "local=$(date -d "@$s" "+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%Z|%z")"',
    'echo "utc=$(date -u -d "@$s" "+%Y-%m-%dT%H:%M:%S")"',
    'y=$(date -d "@$s" +%Y); echo "jan=$(date -d "$y-01-01 12:00" "+%z %Z" 2>/dev/null)"; echo "jul=$(date -d "$y-07-01 12:00" "+%z %Z" 2>/dev/null)"',
  ].join('\n'),
  env: ['S env', 'env -0 2>/dev/null | base64'].join('\n'),
  // Ansible's PKG_MGRS list, in its order: the last one present wins (then the distribution's rules).
  pkg_mgr: [
    'S pkg_mgr',
    'for p in /usr/bin/rpm-ostree:atomic_container /usr/bin/yum:yum /usr/bin/dnf:dnf /usr/bin/apt-get:apt /usr/bin/zypper:zypper /usr/sbin/urpmi:urpmi /usr/bin/pacman:pacman /bin/opkg:opkg /sbin/apk:apk /usr/bin/emerge:portage /usr/bin/xbps-install:xbps /usr/bin/swupd:swupd; do [ -e "${p%%:*}" ] && echo "${p#*:}"; done',
    '[ -e /run/ostree-booted ] && echo "ostree_booted"',
  ].join('\n'),
  service_mgr: [
    'S service_mgr',
    'echo "comm=$(cat /proc/1/comm 2>/dev/null)"',
    'echo "init_link=$(readlink /sbin/init 2>/dev/null)"',
    '[ -d /run/systemd/system ] && echo "systemd_booted=1"',
    'command -v systemctl >/dev/null 2>&1 && echo "systemctl=1"',
    'command -v initctl >/dev/null 2>&1 && [ -d /etc/init ] && echo "upstart=1"',
    '[ -e /sbin/openrc ] && echo "openrc=1"',
    '[ -d /etc/init.d ] && echo "sysvinit=1"',
  ].join('\n'),
  dns: ['S resolv', 'cat /etc/resolv.conf 2>/dev/null'].join('\n'),
  apparmor: ['S apparmor', '[ -e /sys/kernel/security/apparmor ] && echo enabled'].join('\n'),
  fips: ['S fips', 'cat /proc/sys/crypto/fips_enabled 2>/dev/null'].join('\n'),
  cmdline: ['S cmdline', 'cat /proc/cmdline 2>/dev/null'].join('\n'),
  loadavg: ['S loadavg', 'cat /proc/loadavg 2>/dev/null'].join('\n'),
  chroot: [
    'S chroot',
    'echo "env=${debian_chroot:-}"',
    'echo "root=$(stat -c "%d %i" / 2>/dev/null)"; echo "init_root=$(stat -c "%d %i" /proc/1/root/. 2>/dev/null)"',
  ].join('\n'),
  ssh_pub_keys: ['S ssh_pub_keys', 'for f in /etc/ssh/ssh_host_dsa_key.pub /etc/ssh/ssh_host_rsa_key.pub /etc/ssh/ssh_host_ecdsa_key.pub /etc/ssh/ssh_host_ed25519_key.pub; do [ -r "$f" ] && echo "${f##*/} $(head -n 1 "$f")"; done'].join('\n'),
  python: [
    'S python',
    // The interpreter Ansible's discovery picks on Linux: the inventory's, else /usr/bin/python3, else one on the PATH.
    'for p in $PY /usr/bin/python3 /usr/libexec/platform-python python3 /usr/bin/python python; do q=$(command -v "$p" 2>/dev/null) || continue',
    '  "$q" -c \'import sys, json, platform\ntry:\n import ssl; has_ssl = hasattr(ssl, "SSLContext")\nexcept Exception:\n has_ssl = False\nv = sys.version_info\nprint(json.dumps({"executable": sys.executable, "has_sslcontext": has_ssl, "type": platform.python_implementation(), "version": [v[0], v[1], v[2], v[3], v[4]], "python_version": platform.python_version()}))\' 2>/dev/null && break',
    'done',
  ].join('\n'),
  hardware: [
    'S meminfo',
    'cat /proc/meminfo 2>/dev/null',
    'S cpuinfo',
    'cat /proc/cpuinfo 2>/dev/null',
    'S nproc',
    'nproc 2>/dev/null',
    'S uptime',
    'cat /proc/uptime 2>/dev/null',
    'S mounts',
    // Each mount line, then its statvfs numbers: f_frsize f_blocks f_bavail f_bsize f_files f_ffree.
    'while read -r dev mnt fstype opts rest; do case "$dev" in /*|\\\\*|*:/*) ;; *) continue;; esac; [ "$fstype" = none ] && continue',
    '  m=$(printf "%b" "$mnt"); echo "mount $dev $mnt $fstype $opts"; echo "statvfs $(stat -f -c "%S %b %a %s %c %d" -- "$m" 2>/dev/null)"',
    'done < /proc/mounts',
    'S findmnt',
    'findmnt --list --noheadings --notruncate 2>/dev/null',
    'S lsblk',
    'lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null',
  ].join('\n'),
  network: [
    'S routes',
    'command -v ip >/dev/null 2>&1 && echo "ip=1"',
    'echo "v4 $(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)"',
    'echo "v6 $(ip -6 route get 2404:6800:400a:800::1012 2>/dev/null | head -n 1)"',
    'for p in /sys/class/net/*; do [ -d "$p" ] || continue; d=${p##*/}',
    '  S "net $d"',
    '  for k in address mtu operstate type flags speed; do [ -e "$p/$k" ] && echo "$k=$(cat "$p/$k" 2>/dev/null)"; done',
    '  [ -e "$p/device" ] && echo "pciid=$(basename "$(readlink "$p/device")")"',
    '  [ -e "$p/device/driver/module" ] && echo "module=$(basename "$(readlink -f "$p/device/driver/module")")"',
    '  [ -e "$p/bridge" ] && echo "bridge=$(ls "$p/brif" 2>/dev/null | tr "\\n" " ")" && echo "bridge_id=$(cat "$p/bridge/bridge_id" 2>/dev/null)" && echo "stp_state=$(cat "$p/bridge/stp_state" 2>/dev/null)"',
    '  S "primary $d"; ip addr show primary dev "$d" 2>/dev/null || ip addr show dev "$d" 2>/dev/null',
    '  S "secondary $d"; ip addr show secondary dev "$d" 2>/dev/null',
    'done',
  ].join('\n'),
};

/** Runs the fact_path's `*.fact` files: executables are run, the others read; each output base64-encoded; a dangling symlink is named. */
function localSnippet(factPath: string): string {
  return [
    `fp=${shellQuote(factPath)}`,
    'if [ -d "$fp" ]; then for f in "$fp"/*.fact; do [ -e "$f" ] || [ -L "$f" ] || continue',
    '  S "fact ${f##*/}"',
    // A dangling symlink: Ansible's os.stat fails on it.
    '  if [ ! -e "$f" ]; then echo "rc=stat"',
    '  elif [ -x "$f" ]; then o=$("$f" 2>"$T/fe"); echo "rc=$?"; echo "out=$(printf "%s" "$o" | base64 | tr -d "\\n")"; echo "err=$(base64 < "$T/fe" | tr -d "\\n")"',
    '  else echo "rc=read"; echo "out=$(base64 < "$f" | tr -d "\\n")"; fi',
    'done; fi',
  ].join('\n');
}

/** The script for the chosen collectors. */
export function factScript(collectors: Set<string>, boundary: string, factPath: string, python = ''): string {
  const lines = [`B=${shellQuote(boundary)}`, `PY=${shellQuote(python)}`, 'S() { echo "$B $1"; }', 'T=$(mktemp -d) || exit 1', `trap 'rm -rf -- "$T"' EXIT`];
  for (const c of collectors) {
    if (c === 'local') lines.push(localSnippet(factPath));
    else if (SNIPPETS[c]) lines.push(SNIPPETS[c]);
  }
  // platform's python_version comes from the same Python probe.
  if (collectors.has('platform') && !collectors.has('python')) lines.push(SNIPPETS.python);
  lines.push('S end');
  return lines.join('\n');
}

/** Splits the script's output into its sections, by name (a repeated name keeps the first). */
export function splitSections(stdout: string, boundary: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let body: string[] = [];
  const close = () => {
    if (name !== undefined && !out.has(name)) out.set(name, body.join('\n'));
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(boundary + ' ')) {
      close();
      name = line.slice(boundary.length + 1);
      body = [];
      if (name === 'end') break;
    } else if (name !== undefined) body.push(line);
  }
  close();
  return out;
}
