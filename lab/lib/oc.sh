# The node registry that the `oc` stand-in (lab/image/rootfs/usr/local/bin/oc)
# answers from: one JSON Node object per lab host under /kubernetes.io/minions/,
# in the lab's etcd, where the real API server keeps nodes. verify-data counts
# only /tsplay-lab/data/, so these keys never disturb it.
# shellcheck shell=bash

LAB_NODES_PREFIX=/kubernetes.io/minions/
LAB_NODES_SEEDED=/tsplay-lab/nodes-seeded

# Every host but the load balancer as a Node: masters with the master role
# (openshift_node_group_name=node-config-master), any other host as compute.
node_objects() {
  local h ip role ts
  ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for h in $(lab_hosts); do
    [[ $h == lb ]] && continue
    ip=$(host_ip "$h") || continue
    [[ $h == etcd-* ]] && continue   # dedicated etcd hosts are no OpenShift nodes
    role=compute; [[ $h == master-* ]] && role=master
    printf '%s {"apiVersion":"v1","kind":"Node","metadata":{"creationTimestamp":"%s","labels":{"kubernetes.io/hostname":"%s","node-role.kubernetes.io/%s":"true"},"name":"%s"},"spec":{},"status":{"addresses":[{"address":"%s","type":"InternalIP"},{"address":"%s","type":"Hostname"}]}}\n' \
      "$(host_fqdn "$h")" "$ts" "$(host_fqdn "$h")" "$role" "$(host_fqdn "$h")" "$ip" "$(host_fqdn "$h")"
  done
}

# Once per cluster (a fresh one from `up` or `reset`): the registry, then a mark,
# so a later `up` never brings back a node `oc delete node` removed. Transactions
# of up to 100 puts (etcd allows 128 operations in one); a seeding killed half-way
# left no mark and is done again.
seed_nodes() {
  local name obj lines=()
  [[ -n $(lab_etcdctl --endpoints="$(etcd_client_urls)" get --print-value-only "$LAB_NODES_SEEDED") ]] && return 0
  # etcdctl txn unquotes a double-quoted word (Go's strconv.Unquote); single quotes it keeps.
  while read -r name obj; do
    obj=${obj//\\/\\\\}
    lines+=("put $LAB_NODES_PREFIX$name \"${obj//\"/\\\"}\"")
  done < <(node_objects)
  lines+=("put $LAB_NODES_SEEDED $(date -u +%Y-%m-%dT%H:%M:%SZ)")
  local start
  for (( start = 0; start < ${#lines[@]}; start += 100 )); do
    { echo; printf '%s\n' "${lines[@]:start:100}"; echo; echo; } \
      | lab_etcdctl --endpoints="$(etcd_client_urls)" txn >/dev/null || die "writing the node registry failed"
  done
}
