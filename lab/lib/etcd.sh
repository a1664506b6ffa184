# etcd from this machine: the image's etcdctl with the lab's client certificate,
# straight to the members' addresses (hosts share this machine's network).
# shellcheck shell=bash

lab_etcdctl() {
  ETCDCTL_API=3 "$(image_dir)/usr/bin/etcdctl" --cacert="$PKI/ca.crt" \
    --cert="$PKI/lab-client.crt" --key="$PKI/lab-client.key" --dial-timeout=2s "$@"
}

# "endpoint health" for every member; returns 0 when all are healthy.
etcd_all_healthy() {
  lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=3s endpoint health >/dev/null 2>&1
}

wait_etcd_healthy() {
  local deadline=$(( SECONDS + ${1:-60} ))
  until etcd_all_healthy; do
    etcd_fail_fast
    (( SECONDS < deadline )) || {
      lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=3s endpoint health >&2 || true
      die "etcd did not become healthy (to start over: npm run lab -- reset)"
    }
    sleep 0.3
  done
}

# Called once every host finished booting: a member whose unit failed, or that
# is not running at all (wiped, disabled, removed from the cluster), will not heal
# by waiting; show why and stop.
etcd_fail_fast() {
  local h pid st
  for h in $(lab_etcd_members); do
    pid=$(host_init_pid "$h") || continue
    if etcd_runs_as_pod "$h"; then
      # The node restarts a pod's container with a back-off: three exits in a row is a crash loop.
      st=$(host_nsenter "$pid" cat /run/tsplay-lab/static-pod-etcd.failures 2>/dev/null) || true
      if (( ${st:-0} >= 3 )); then
        host_nsenter "$pid" journalctl -u static-pod-etcd.service --no-pager -o cat -n 8 >&2 || true
        die "etcd's static pod keeps exiting on $h (to start over: npm run lab -- reset)"
      fi
      continue
    fi
    st=$(host_nsenter "$pid" systemctl is-active etcd.service 2>/dev/null) || true
    if [[ $st == failed || $st == inactive ]]; then
      host_nsenter "$pid" journalctl -u etcd.service --no-pager -o cat -n 8 >&2 || true
      die "etcd is $st on $h (to start over: npm run lab -- reset)"
    fi
  done
}

# The unit that runs etcd on member H: etcd.service, or its static pod's container.
etcd_unit() { if etcd_runs_as_pod "$1"; then echo static-pod-etcd.service; else echo etcd.service; fi; }

# The known data: key /tsplay-lab/data/NNNN holds value-NNNN-<hash>, computed
# the same way here and by verify-data; "key=value" lines in key order.
known_data() {
  awk -v n="$LAB_DATA_KEYS" -v p="$LAB_DATA_PREFIX" 'BEGIN {
    for (i = 0; i < n; i++) printf "%s%04d=value-%04d-%08x\n", p, i, i, (i * 2654435761 + 12345) % 4294967296
  }'
}

known_checksum() { known_data | sha256sum | cut -d' ' -f1; }

# Writes the known data in transactions of 100 puts (etcd allows 128 per txn).
load_data() {
  local sum data start
  sum=$(known_checksum)
  if [[ $(lab_etcdctl --endpoints="$(etcd_client_urls)" get --print-value-only /tsplay-lab/checksum 2>/dev/null) == "$sum" ]]; then
    return 0
  fi
  data=$(known_data)
  for (( start = 1; start <= LAB_DATA_KEYS; start += 100 )); do
    # txn reads: compares, blank line, success operations, blank line, failure operations.
    { echo; sed -n "$start,$(( start + 99 ))p" <<<"$data" | sed 's/=/ /; s/^/put /'; echo; echo; } \
      | lab_etcdctl --endpoints="$(etcd_client_urls)" txn >/dev/null || die "writing the known data failed"
  done
  lab_etcdctl --endpoints="$(etcd_client_urls)" put /tsplay-lab/checksum "$sum" >/dev/null
}

# Prints "matching read checksum-of-what-was-read"; returns 1 when the read failed.
# Extra arguments go to etcdctl get (e.g. --consistency=s for a serializable read).
read_data() {
  local out pairs matching total sum
  out=$(lab_etcdctl --endpoints="$(etcd_client_urls)" --command-timeout=3s \
    get --prefix "$LAB_DATA_PREFIX" "$@" 2>"$LAB_STATE/.read-error") || {
    log "etcdctl: $(grep -v '^{' "$LAB_STATE/.read-error" | tail -1)"
    return 1
  }
  pairs=$(awk 'NR % 2 == 1 { k = $0; next } { print k "=" $0 }' <<<"$out" | sort)
  total=$(grep -c . <<<"$pairs" || true)
  matching=$(comm -12 <(known_data | sort) <(echo "$pairs") | grep -c . || true)
  sum=$(sha256sum <<<"$pairs" | cut -d' ' -f1)
  echo "$matching $total $sum"
}

# Destroys member H's data and leaves etcd down there: etcd.service stopped and
# disabled, or, for a static pod, its manifest moved to /etc/origin/node/pods-stopped/
# (the documents' folder for a stopped etcd pod) so the node stops the container
# and does not start it again. Works on a running or a powered-off host.
wipe_etcd_member() {
  local h=$1 root
  if host_is_up "$h"; then
    if etcd_runs_as_pod "$h"; then
      host_exec "$h" bash -c 'mkdir -p /etc/origin/node/pods-stopped
        [[ ! -e /etc/origin/node/pods/etcd.yaml ]] || mv /etc/origin/node/pods/etcd.yaml /etc/origin/node/pods-stopped/
        systemctl stop static-pod-etcd.service; find /var/lib/etcd -mindepth 1 -delete' \
        || die "could not wipe etcd on $h"
    else
      host_exec "$h" bash -c 'systemctl disable --now etcd.service 2>/dev/null; find /var/lib/etcd -mindepth 1 -delete' \
        || die "could not wipe etcd on $h"
    fi
  else
    # A powered-off host: change its disk directly.
    root=$(host_root "$h")
    host_mount "$h"
    find "$root/var/lib/etcd" -mindepth 1 -delete
    if etcd_runs_as_pod "$h"; then
      mkdir -p "$root/etc/origin/node/pods-stopped"
      [[ ! -e $root/etc/origin/node/pods/etcd.yaml ]] || mv "$root/etc/origin/node/pods/etcd.yaml" "$root/etc/origin/node/pods-stopped/"
    else
      rm -f "$root/etc/systemd/system/multi-user.target.wants/etcd.service"
    fi
  fi
  if etcd_runs_as_pod "$h"; then log "$h: etcd data destroyed; etcd.yaml moved to pods-stopped/, its pod stopped"
  else log "$h: etcd data destroyed; etcd stopped and disabled"; fi
}

# "ACTIVE/ENABLED" of member H's etcd: etcd.service's is-active/is-enabled, or
# for a static pod its container's is-active and "manifest"/"no-manifest"
# (etcd.yaml in /etc/origin/node/pods or not); "off" for a powered-off host.
etcd_unit_state() {
  local h=$1 pid
  pid=$(host_init_pid "$h") || { echo off; return 0; }
  if etcd_runs_as_pod "$h"; then
    host_nsenter "$pid" bash -c 'echo "$(systemctl is-active static-pod-etcd.service)/$([[ -e /etc/origin/node/pods/etcd.yaml ]] && echo manifest || echo no-manifest)"' 2>/dev/null || true
  else
    host_nsenter "$pid" bash -c 'echo "$(systemctl is-active etcd.service)/$(systemctl is-enabled etcd.service)"' 2>/dev/null || true
  fi
}
