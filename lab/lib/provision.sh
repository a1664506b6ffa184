# Writes what makes a fresh disk a particular host: names, keys, certificates,
# etcd and OpenShift configuration. Runs once per disk, before its first boot.
# shellcheck shell=bash

provision_host() {
  local h=$1 n=$2 root ip fqdn
  root=$(host_root "$h"); ip=$(host_ip "$h"); fqdn=$(host_fqdn "$h")
  ensure_host_pki "$h"

  echo "$fqdn" >"$root/etc/hostname"
  tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
  {
    echo "127.0.0.1 localhost"
    local x
    # Masters and lb know each other; a node also knows itself.
    for x in $(lab_hosts "$n" 0) $([[ $h == node-* ]] && echo "$h"); do host_hosts_line "$x"; done
  } >"$root/etc/hosts"

  # sshd on the host's own address only, with its own key.
  install -m 600 "$PKI/ssh/$h.key" "$root/etc/ssh/ssh_host_ed25519_key"
  install -m 644 "$PKI/ssh/$h.key.pub" "$root/etc/ssh/ssh_host_ed25519_key.pub"
  printf 'ListenAddress %s\nHostKey /etc/ssh/ssh_host_ed25519_key\n' "$ip" >"$root/etc/ssh/sshd_config.d/20-listen.conf"
  local home
  for home in root home/deploy home/ops; do
    install -d -m 700 "$root/$home/.ssh"
    install -m 600 "$PKI/ssh/id_ed25519.pub" "$root/$home/.ssh/authorized_keys"
  done

  provision_login_user "$h"
  if [[ $h == node-* ]]; then
    provision_node "$h"
    return 0
  fi
  if [[ $h == etcd-* ]]; then
    provision_etcd_host "$h"
    return 0
  fi
  if [[ $h == lb ]]; then
    write_haproxy_cfg "$n" >"$root/etc/haproxy/haproxy.cfg"
    chroot "$root" /bin/sh -c 'chown -R deploy:deploy /home/deploy/.ssh && chown -R ops:ops /home/ops/.ssh &&
      systemctl enable haproxy.service' >/dev/null 2>&1
    return 0
  fi
  provision_master "$h" "$n"
}

# A plain OpenShift node: systemd, sshd, python3 and the node stand-in; no etcd.
provision_node() {
  local h=$1 root
  root=$(host_root "$h")
  install -d "$root/etc/origin/node/pods" "$root/etc/sysconfig"
  printf 'apiVersion: v1\nkind: NodeConfig\nnodeName: %s\nnodeIP: %s\n' "$(host_fqdn "$h")" "$(host_ip "$h")" \
    >"$root/etc/origin/node/node-config.yaml"
  echo "OPTIONS=--loglevel=2" >"$root/etc/sysconfig/atomic-openshift-node"
  chroot "$root" /bin/sh -c 'chown -R deploy:deploy /home/deploy/.ssh && chown -R ops:ops /home/ops/.ssh &&
    systemctl enable atomic-openshift-node.service' >/dev/null 2>&1 \
    || die "could not enable services on $h"
}

provision_master() {
  local h=$1 n=$2 root ip fqdn i units
  root=$(host_root "$h"); ip=$(host_ip "$h"); fqdn=$(host_fqdn "$h")
  i=${h#master-}

  is_etcd_member "$h" && install_etcd_member_files "$h" "$n"

  local m=$root/etc/origin/master
  install -d "$m" "$root/etc/origin/node/pods" "$root/etc/sysconfig"
  install -m 644 "$PKI/ca.crt" "$m/ca.crt"
  install -m 644 "$PKI/ca.crt" "$m/master.etcd-ca.crt"
  install -m 644 "$PKI/master.etcd-client.crt" "$m/master.etcd-client.crt"
  install -m 600 "$PKI/master.etcd-client.key" "$m/master.etcd-client.key"
  write_master_config "$h" "$n" >"$m/master-config.yaml"
  if [[ $i == 0 ]]; then
    # The first master of the inventory holds the CA: its serial file and the etcd CA folders.
    install -m 600 "$PKI/ca.key" "$m/ca.key"
    printf '%02X\n' $(( n + 10 )) >"$m/ca.serial.txt"
  fi
  # A mixed cluster's etcd.service master has no etcd manifest, as a master
  # installed with etcd.service (elsewhere the lab keeps it beside etcd.service).
  if is_etcd_member "$h" && { etcd_runs_as_pod "$h" || [[ $(lab_etcd_mode) != mixed ]]; }; then
    write_pod etcd "$h" >"$root/etc/origin/node/pods/etcd.yaml"
  fi
  write_pod api "$h" >"$root/etc/origin/node/pods/api.yaml"
  write_pod controller "$h" >"$root/etc/origin/node/pods/controller.yaml"
  {
    echo "FLANNEL_ETCD_ENDPOINTS=$(hostname_client_urls "$n")"
    echo "FLANNEL_ETCD_PREFIX=/atomic.io/network"
    echo "FLANNEL_OPTIONS=\"-etcd-cafile=/etc/origin/master/master.etcd-ca.crt -etcd-certfile=/etc/origin/master/master.etcd-client.crt -etcd-keyfile=/etc/origin/master/master.etcd-client.key\""
  } >"$root/etc/sysconfig/flanneld"

  # etcd.service on the members, unless they run etcd as a static pod (the node service starts it then).
  units="atomic-openshift-node.service atomic-openshift-master-api.service atomic-openshift-master-controllers.service flanneld.service"
  if is_etcd_member "$h" && ! etcd_runs_as_pod "$h"; then units="etcd.service $units"; fi
  etcd_runs_as_pod "$h" && { install -d "$root/etc/tsplay-lab"; echo static-pod >"$root/etc/tsplay-lab/etcd-runtime"; }
  chroot "$root" /bin/sh -c "chown -R deploy:deploy /home/deploy/.ssh && chown -R ops:ops /home/ops/.ssh &&
    { [ ! -d /etc/etcd ] || chown -R etcd:etcd /etc/etcd; } && systemctl enable $units" >/dev/null 2>&1 \
    || die "could not enable services on $h"
}

# /etc/etcd of a member: certificates, etcd.conf, and on the first member the
# etcd CA (openshift-ansible's etcd_ca_host is the first host of [etcd]).
install_etcd_member_files() {
  local h=$1 n=$2 root cert
  root=$(host_root "$h"); cert=$(host_cert_name "$h")
  install -d "$root/etc/etcd"
  install -m 644 "$PKI/ca.crt" "$root/etc/etcd/ca.crt"
  install -m 644 "$PKI/$cert.server.crt" "$root/etc/etcd/server.crt"
  install -m 600 "$PKI/$cert.server.key" "$root/etc/etcd/server.key"
  install -m 644 "$PKI/$cert.peer.crt" "$root/etc/etcd/peer.crt"
  install -m 600 "$PKI/$cert.peer.key" "$root/etc/etcd/peer.key"
  write_etcd_conf "$h" "$n" >"$root/etc/etcd/etcd.conf"
  if [[ $h == "$(lab_etcd_members | head -1)" ]]; then
    install -d -m 700 "$root/etc/etcd/ca" "$root/etc/etcd/generated_certs"
    install -m 644 "$PKI/ca.crt" "$root/etc/etcd/ca/ca.crt"
    install -m 600 "$PKI/ca.key" "$root/etc/etcd/ca/ca.key"
  fi
}

# A dedicated etcd host: etcd.service from the RPM-shaped unit, no OpenShift.
provision_etcd_host() {
  local h=$1 root
  root=$(host_root "$h")
  install_etcd_member_files "$h" "$(lab_masters)"
  chroot "$root" /bin/sh -c 'chown -R deploy:deploy /home/deploy/.ssh && chown -R ops:ops /home/ops/.ssh &&
    chown -R etcd:etcd /etc/etcd && systemctl enable etcd.service' >/dev/null 2>&1 \
    || die "could not enable services on $h"
}

# One /etc/hosts line: address, full name, first label, and the inventory name when it is neither.
host_hosts_line() {
  local x=$1 fqdn inv
  fqdn=$(host_fqdn "$x"); inv=$(host_inventory_name "$x")
  printf '%s %s %s' "$(host_ip "$x")" "$fqdn" "${fqdn%%.*}"
  [[ $inv != "$fqdn" && $inv != "${fqdn%%.*}" ]] && printf ' %s' "$inv"
  echo
}

# Client URLs by host name, as openshift-ansible writes them into master-config and flanneld.
hostname_client_urls() {
  local h out=
  for h in $(lab_etcd_members); do out+=${out:+,}https://$(host_fqdn "$h"):2379; done
  echo "$out"
}

write_etcd_conf() {
  local h=$1 n=$2 ip
  ip=$(host_ip "$h")
  cat <<EOF
ETCD_NAME=$(host_fqdn "$h")
ETCD_LISTEN_PEER_URLS=https://$ip:2380
ETCD_DATA_DIR=/var/lib/etcd
#ETCD_WAL_DIR=
#ETCD_SNAPSHOT_COUNT=10000
ETCD_HEARTBEAT_INTERVAL=100
ETCD_ELECTION_TIMEOUT=1000
ETCD_LISTEN_CLIENT_URLS=https://$ip:2379
#ETCD_MAX_SNAPSHOTS=5
#ETCD_MAX_WALS=5
#ETCD_CORS=
ETCD_ENABLE_V2=true

#[cluster]
ETCD_INITIAL_ADVERTISE_PEER_URLS=https://$ip:2380
ETCD_INITIAL_CLUSTER=$(etcd_initial_cluster "$n")
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_INITIAL_CLUSTER_TOKEN=etcd-cluster-1
#ETCD_DISCOVERY=
#ETCD_DISCOVERY_SRV=
#ETCD_DISCOVERY_FALLBACK=proxy
#ETCD_DISCOVERY_PROXY=
ETCD_ADVERTISE_CLIENT_URLS=https://$ip:2379
#ETCD_STRICT_RECONFIG_CHECK=false
#ETCD_AUTO_COMPACTION_RETENTION=0
#ETCD_ENABLE_PPROF=false
ETCD_QUOTA_BACKEND_BYTES=4294967296

#[security]
ETCD_TRUSTED_CA_FILE=/etc/etcd/ca.crt
ETCD_CLIENT_CERT_AUTH=true
ETCD_CERT_FILE=/etc/etcd/server.crt
ETCD_KEY_FILE=/etc/etcd/server.key
#ETCD_AUTO_TLS=false
ETCD_PEER_TRUSTED_CA_FILE=/etc/etcd/ca.crt
ETCD_PEER_CLIENT_CERT_AUTH=true
ETCD_PEER_CERT_FILE=/etc/etcd/peer.crt
ETCD_PEER_KEY_FILE=/etc/etcd/peer.key
#ETCD_PEER_AUTO_TLS=false

#[logging]
ETCD_DEBUG=False
EOF
}

write_master_config() {
  local h=$1 n=$2 ip x
  ip=$(host_ip "$h")
  cat <<EOF
admissionConfig:
  pluginConfig: {}
apiLevels:
- v1
apiVersion: v1
authConfig:
  requestHeader:
    clientCA: front-proxy-ca.crt
    clientCommonNames:
    - aggregator-front-proxy
controllerConfig:
  election:
    lockName: openshift-master-controllers
  serviceServingCert:
    signer:
      certFile: service-signer.crt
      keyFile: service-signer.key
controllers: '*'
corsAllowedOrigins:
- (?i)//127\.0\.0\.1(:|\z)
- (?i)//localhost(:|\z)
- (?i)//${ip//./\\.}(:|\z)
etcdClientInfo:
  ca: master.etcd-ca.crt
  certFile: master.etcd-client.crt
  keyFile: master.etcd-client.key
  urls:
EOF
  for x in $(lab_etcd_members); do echo "  - https://$(host_fqdn "$x"):2379"; done
  cat <<EOF
etcdStorageConfig:
  kubernetesStoragePrefix: kubernetes.io
  kubernetesStorageVersion: v1
  openShiftStoragePrefix: openshift.io
  openShiftStorageVersion: v1
kind: MasterConfig
kubeletClientInfo:
  ca: ca-bundle.crt
  certFile: master.kubelet-client.crt
  keyFile: master.kubelet-client.key
  port: 10250
masterPublicURL: https://$(host_fqdn lb):8443
networkConfig:
  clusterNetworks:
  - cidr: 10.128.0.0/14
    hostSubnetLength: 9
  networkPluginName: redhat/openshift-ovs-subnet
  serviceNetworkCIDR: 172.30.0.0/16
servingInfo:
  bindAddress: $ip:8443
  bindNetwork: tcp4
  certFile: master.server.crt
  clientCA: ca.crt
  keyFile: master.server.key
  maxRequestsInFlight: 500
  requestTimeoutSeconds: 3600
EOF
}

write_pod() {
  local kind=$1 h=$2 ip
  ip=$(host_ip "$h")
  case $kind in
    etcd) cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: master-etcd
  namespace: kube-system
  labels:
    openshift.io/control-plane: "true"
    openshift.io/component: etcd
spec:
  restartPolicy: Always
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
  - name: etcd
    image: registry.redhat.io/rhel7/etcd:3.2.26
    workingDir: /var/lib/etcd
    command: ["/bin/sh", "-c"]
    args:
    - |
      #!/bin/sh
      set -o allexport
      source /etc/etcd/etcd.conf
      exec etcd
    securityContext:
      privileged: true
    volumeMounts:
     - mountPath: /etc/etcd/
       name: master-config
       readOnly: true
     - mountPath: /var/lib/etcd/
       name: master-data
    livenessProbe:
      exec:
        command:
        - etcdctl
        - --cert-file
        - /etc/etcd/peer.crt
        - --key-file
        - /etc/etcd/peer.key
        - --ca-file
        - /etc/etcd/ca.crt
        - -C
        - https://$ip:2379
        - cluster-health
      initialDelaySeconds: 45
  volumes:
  - name: master-config
    hostPath:
      path: /etc/etcd/
  - name: master-data
    hostPath:
      path: /var/lib/etcd
EOF
    ;;
    api|controller)
      local name=$kind args=api
      [[ $kind == controller ]] && { name=controllers; args=controllers; }
      cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: master-$name
  namespace: kube-system
  labels:
    openshift.io/control-plane: "true"
    openshift.io/component: $name
spec:
  restartPolicy: Always
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
  - name: $name
    image: registry.redhat.io/openshift3/ose-control-plane:v3.11
    command: ["/bin/bash", "-c"]
    args:
    - |
      #!/bin/bash
      set -euo pipefail
      exec openshift start master $args --config=/etc/origin/master/master-config.yaml --loglevel=\${DEBUG_LOGLEVEL:-2}
    securityContext:
      privileged: true
    volumeMounts:
     - mountPath: /etc/origin/master/
       name: master-config
     - mountPath: /etc/origin/cloudprovider/
       name: master-cloud-provider
  volumes:
  - name: master-config
    hostPath:
      path: /etc/origin/master/
  - name: master-cloud-provider
    hostPath:
      path: /etc/origin/cloudprovider
EOF
    ;;
  esac
}

write_haproxy_cfg() {
  local n=$1 i x
  cat <<EOF
# Load balancer for the lab's masters, in the shape openshift-ansible writes it.
global
    log         /dev/log local0 info
    # openshift-ansible uses 20000; that needs more open files than this machine may grant.
    maxconn     4000
    stats socket /run/haproxy/admin.sock mode 660 level admin
    user        haproxy
    group       haproxy

defaults
    mode                    http
    log                     global
    option                  dontlognull
    retries                 3
    timeout http-request    10s
    timeout queue           1m
    timeout connect         10s
    timeout client          300s
    timeout server          300s
    timeout http-keep-alive 10s
    timeout check           10s
    maxconn                 4000

listen stats
    bind $LAB_LB_IP:9000
    mode http
    stats enable
    stats uri /

frontend  atomic-openshift-api
    bind $LAB_LB_IP:8443
    default_backend mgmt8443
    mode tcp
    option tcplog

backend mgmt8443
    balance source
    mode tcp
EOF
  for (( i = 0; i < n; i++ )); do
    echo "    server $(host_fqdn "master-$i") $(master_ip "$i"):8443 check"
  done
  cat <<EOF

frontend  etcd-client
    bind $LAB_LB_IP:2379
    default_backend etcd2379
    mode tcp
    option tcplog

backend etcd2379
    balance source
    mode tcp
EOF
  for x in $(lab_etcd_members); do
    echo "    server $(host_fqdn "$x") $(host_ip "$x"):2379 check"
  done
}
