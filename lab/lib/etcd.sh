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
  for h in $(lab_masters_list); do
    pid=$(host_init_pid "$h") || continue
    st=$(host_nsenter "$pid" systemctl is-active etcd.service 2>/dev/null) || true
    if [[ $st == failed || $st == inactive ]]; then
      host_nsenter "$pid" journalctl -u etcd.service --no-pager -o cat -n 8 >&2 || true
      die "etcd is $st on $h (to start over: npm run lab -- reset)"
    fi
  done
}

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
