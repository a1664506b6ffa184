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
    role=compute; [[ $h == master-* ]] && role=master
    printf '%s {"apiVersion":"v1","kind":"Node","metadata":{"creationTimestamp":"%s","labels":{"kubernetes.io/hostname":"%s","node-role.kubernetes.io/%s":"true"},"name":"%s"},"spec":{},"status":{"addresses":[{"address":"%s","type":"InternalIP"},{"address":"%s","type":"Hostname"}]}}\n' \
      "$(host_fqdn "$h")" "$ts" "$(host_fqdn "$h")" "$role" "$(host_fqdn "$h")" "$ip" "$(host_fqdn "$h")"
  done
}

# Once per cluster (a fresh one from `up` or `reset`): the registry and a mark,
# in one transaction, so a later `up` never brings back a node `oc delete node` removed.
seed_nodes() {
  local name obj
  {
    echo "create(\"$LAB_NODES_SEEDED\") = \"0\""
    echo
    # etcdctl txn unquotes a double-quoted word (Go's strconv.Unquote); single quotes it keeps.
    while read -r name obj; do obj=${obj//\\/\\\\}; echo "put $LAB_NODES_PREFIX$name \"${obj//\"/\\\"}\""; done < <(node_objects)
    echo "put $LAB_NODES_SEEDED $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo
  } | lab_etcdctl --endpoints="$(etcd_client_urls)" txn >/dev/null || die "writing the node registry failed"
}
