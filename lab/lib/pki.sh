# The lab CA, per-host etcd certificates, SSH host keys and the client key.
# They live in $LAB_STATE/pki and survive `reset` and `down`, so known_hosts
# and the inventory's key stay valid across clean rebuilds.
# shellcheck shell=bash

PKI=$LAB_STATE/pki
# Raised whenever certificate contents change, so older lab certificates are replaced.
PKI_VERSION=2

_cert() { # name cn san eku
  local name=$1 cn=$2 san=$3 eku=$4
  [[ -s $PKI/$name.crt ]] && return 0
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "/CN=$cn" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -out "$PKI/$name.crt.tmp" 2>/dev/null -extfile <(printf '%s\n' \
      "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" \
      "extendedKeyUsage=$eku" ${san:+"subjectAltName=$san"})
  mv "$PKI/$name.crt.tmp" "$PKI/$name.crt"
  rm -f "$PKI/$name.csr"
}

ensure_ca() {
  mkdir -p "$PKI" && chmod 700 "$PKI"
  if [[ $(cat "$PKI/version" 2>/dev/null) != "$PKI_VERSION" ]]; then
    rm -f "$PKI"/*.crt "$PKI"/*.key "$PKI"/*.srl
    echo "$PKI_VERSION" >"$PKI/version"
  fi
  [[ -s $PKI/ca.crt ]] && return 0
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt.tmp" -days 3650 -subj "/CN=etcd-signer@tsplay-lab" 2>/dev/null
  mv "$PKI/ca.crt.tmp" "$PKI/ca.crt"
  # The lab's own etcdctl client and the masters' API client (master.etcd-client.*).
  _cert lab-client lab-admin "" clientAuth
  _cert master.etcd-client system:openshift-master "" clientAuth
}

# server.crt and peer.crt for a master. The server certificate also names the
# load balancer, so clients may reach etcd through lb:2379.
ensure_host_pki() {
  local h=$1 ip fqdn san
  ip=$(host_ip "$h"); fqdn=$(host_fqdn "$h")
  ensure_ca
  mkdir -p "$PKI/ssh"
  [[ -s $PKI/ssh/$h.key ]] || ssh-keygen -q -t ed25519 -N '' -C "root@$fqdn" -f "$PKI/ssh/$h.key"
  [[ $h == lb || $h == node-* ]] && return 0
  san="IP:$ip,DNS:$fqdn,DNS:${fqdn%%.*},DNS:$h"
  _cert "$(host_cert_name "$h").server" "$fqdn" "$san,IP:$LAB_LB_IP,DNS:$(host_fqdn lb)" serverAuth,clientAuth
  # Connections between loopback addresses leave from 127.0.0.1, and etcd checks a
  # peer certificate's IP addresses against the connection's source.
  _cert "$(host_cert_name "$h").peer" "$fqdn" "$san,IP:127.0.0.1" serverAuth,clientAuth
}

# Certificates are kept per host and name: a lab built --like another inventory
# gives the same host other names, and its certificates must carry them.
host_cert_name() { echo "$1@$(host_fqdn "$1")"; }

# The key the inventory logs in with; one per machine, copied into the repository's
# git-ignored inventories/lab/.lab/ on every `up`.
ensure_client_key() {
  ensure_ca
  mkdir -p "$PKI/ssh"
  [[ -s $PKI/ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C tsplay-lab -f "$PKI/ssh/id_ed25519"
  mkdir -p "$LAB_GEN_DIR"
  install -m 600 "$PKI/ssh/id_ed25519" "$LAB_KEY"
  install -m 644 "$PKI/ssh/id_ed25519.pub" "$LAB_KEY.pub"
}

write_known_hosts() {
  local h tmp
  tmp=$LAB_KNOWN_HOSTS.tmp
  : >"$tmp"
  for h in $(lab_hosts); do
    echo "$(host_ip "$h"),$(host_known_names "$h") $(cut -d' ' -f1-2 "$PKI/ssh/$h.key.pub")" >>"$tmp"
  done
  mv "$tmp" "$LAB_KNOWN_HOSTS"
}

# The names a host's key is known under: lab id, full name, inventory name.
host_known_names() {
  printf '%s\n' "$1" "$(host_fqdn "$1")" "$(host_inventory_name "$1")" | awk '!seen[$0]++' | paste -sd, -
}
