import type { Table } from './index.js';

// etcd.conf as openshift-ansible 3.11 writes it on master-0 of a three-master cluster.
const conf = `ETCD_NAME=master-0.example.com
ETCD_LISTEN_PEER_URLS=https://10.0.0.1:2380
ETCD_DATA_DIR=/var/lib/etcd/
#ETCD_WAL_DIR=
ETCD_LISTEN_CLIENT_URLS=https://10.0.0.1:2379
ETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.1:2380
ETCD_INITIAL_CLUSTER=master-0.example.com=https://10.0.0.1:2380,master-1.example.com=https://10.0.0.2:2380,master-2.example.com=https://10.0.0.3:2380
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_INITIAL_CLUSTER_TOKEN=etcd-cluster-1
ETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.1:2379
ETCD_TRUSTED_CA_FILE=/etc/etcd/ca.crt
ETCD_CLIENT_CERT_AUTH="true"
ETCD_CERT_FILE=/etc/etcd/server.crt
ETCD_KEY_FILE=/etc/etcd/server.key
ETCD_PEER_TRUSTED_CA_FILE=/etc/etcd/ca.crt
ETCD_PEER_CLIENT_CERT_AUTH="true"
ETCD_PEER_CERT_FILE=/etc/etcd/peer.crt
ETCD_PEER_KEY_FILE=/etc/etcd/peer.key
`;

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: master-etcd
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
  - name: etcd
    image: registry.redhat.io/rhel7/etcd:3.2.22
    command: ["/bin/sh", "-c"]
    args:
    - |
      #!/bin/sh
      set -o allexport
      source /etc/etcd/etcd.conf
      exec etcd
`;

const masterConfig = `apiVersion: v1
kind: MasterConfig
etcdClientInfo:
  ca: master.etcd-ca.crt
  certFile: master.etcd-client.crt
  keyFile: master.etcd-client.key
  urls:
  - https://master-0.example.com:2379
  - https://master-1.example.com:2379
  - https://master-2.example.com:2379
`;

// A unit that exists nowhere, so the deployment comes from the files alone wherever the table runs.
const paths = {
  etcd_conf: '{{ test_dir }}/etcd.conf',
  static_pod_manifest: '{{ test_dir }}/pods/etcd.yaml',
  master_config: '{{ test_dir }}/master-config.yaml',
  flanneld_config: '{{ test_dir }}/flanneld',
  etcd_service: 'tsplay-test-no-such-etcd',
};

const table: Table = () => [
  {
    name: 'a 3.11 master with etcd as a static pod: everything from its own files',
    files: { 'etcd.conf': conf, 'pods/etcd.yaml': pod, 'master-config.yaml': masterConfig },
    args: paths,
    plan: { changed: false },
    result: {
      msg: 'master-0.example.com (static_pod): client https://10.0.0.1:2379, peer https://10.0.0.1:2380, data /var/lib/etcd/',
      member: true,
      deployment: 'static_pod',
      name: 'master-0.example.com',
      ip: '10.0.0.1',
      data_dir: '/var/lib/etcd/',
      client_url: 'https://10.0.0.1:2379',
      peer_url: 'https://10.0.0.1:2380',
      listen_client_urls: ['https://10.0.0.1:2379'],
      listen_peer_urls: ['https://10.0.0.1:2380'],
      initial_cluster: {
        'master-0.example.com': 'https://10.0.0.1:2380',
        'master-1.example.com': 'https://10.0.0.2:2380',
        'master-2.example.com': 'https://10.0.0.3:2380',
      },
      initial_cluster_state: 'new',
      tls: {
        cert_file: '/etc/etcd/server.crt',
        key_file: '/etc/etcd/server.key',
        trusted_ca_file: '/etc/etcd/ca.crt',
        client_cert_auth: true,
        peer_cert_file: '/etc/etcd/peer.crt',
        peer_key_file: '/etc/etcd/peer.key',
        peer_trusted_ca_file: '/etc/etcd/ca.crt',
        peer_client_cert_auth: true,
      },
      static_pod_image: 'registry.redhat.io/rhel7/etcd:3.2.22',
      etcd_client_info: {
        ca: /\/master\.etcd-ca\.crt$/,
        cert_file: /\/master\.etcd-client\.crt$/,
        key_file: /\/master\.etcd-client\.key$/,
        urls: ['https://master-0.example.com:2379', 'https://master-1.example.com:2379', 'https://master-2.example.com:2379'],
      },
      flannel_etcd_endpoints: null,
      sources: { name: /\/etcd\.conf$/, ip: /\/etcd\.conf$/, deployment: /\/pods\/etcd\.yaml$/ },
    },
  },
  {
    name: 'a static pod a restore moved to pods-stopped/ (stopped inside A.3): still a static pod, its manifest where it is',
    files: { 'etcd.conf': conf, 'pods-stopped/etcd.yaml': pod, 'master-config.yaml': masterConfig },
    args: paths,
    plan: { changed: false },
    result: {
      member: true,
      deployment: 'static_pod',
      static_pod_manifest: /\/pods-stopped\/etcd\.yaml$/,
      static_pod_image: 'registry.redhat.io/rhel7/etcd:3.2.22',
      sources: { deployment: /\/pods-stopped\/etcd\.yaml$/ },
    },
  },
  {
    name: 'a dedicated etcd host: etcd.conf, no static pod, no master-config; flanneld endpoints read',
    files: { 'etcd.conf': conf, flanneld: 'FLANNEL_ETCD_ENDPOINTS=https://10.0.0.1:2379,https://10.0.0.2:2379\nFLANNEL_ETCD_PREFIX=/openshift.com/network\n' },
    args: { ...paths, etcd_deployment: 'systemd' },
    plan: { changed: false },
    result: {
      member: true,
      deployment: 'systemd',
      static_pod_manifest: null,
      etcd_client_info: null,
      flannel_etcd_endpoints: ['https://10.0.0.1:2379', 'https://10.0.0.2:2379'],
      sources: { deployment: 'etcd_deployment' },
    },
  },
  {
    name: "openshift-ansible's variables win over the file: etcd_ip and etcd_hostname as host variables, the ports as arguments",
    files: { 'etcd.conf': conf },
    vars: { etcd_ip: '192.168.1.5', etcd_hostname: 'm0' },
    args: { ...paths, etcd_client_port: 4001, etcd_peer_port: '7001' },
    plan: { changed: false },
    result: {
      name: 'm0',
      ip: '192.168.1.5',
      client_url: 'https://192.168.1.5:4001',
      peer_url: 'https://192.168.1.5:7001',
      advertise_client_urls: ['https://10.0.0.1:2379'],
      sources: { name: 'etcd_hostname', ip: 'etcd_ip', client_url: 'etcd_ip', peer_url: 'etcd_ip' },
    },
  },
  {
    name: 'an argument wins over the host variable of the same name',
    files: { 'etcd.conf': conf },
    vars: { etcd_ip: '192.168.1.5' },
    args: { ...paths, etcd_ip: '192.168.1.9' },
    plan: { changed: false },
    result: { ip: '192.168.1.9', client_url: 'https://192.168.1.9:2379' },
  },
  {
    name: 'openshift_master_etcd_urls overrides the master-config URLs, not its certificate paths',
    files: { 'master-config.yaml': masterConfig },
    args: { ...paths, openshift_master_etcd_urls: 'https://lb.example.com:2379' },
    plan: { changed: false },
    result: {
      member: false,
      msg: /^not an etcd member/,
      etcd_client_info: { urls: ['https://lb.example.com:2379'], cert_file: /\/master\.etcd-client\.crt$/ },
      sources: { etcd_client_info: 'openshift_master_etcd_urls' },
    },
  },
  {
    name: 'a host outside [etcd] without etcd.conf is not a member, and that is no failure',
    args: paths,
    plan: { changed: false },
    result: { member: false, deployment: null, name: null, client_url: null, etcd_client_info: null, flannel_etcd_endpoints: null },
  },
  {
    name: 'an etcd host without etcd.conf fails with what is missing and the variable that supplies it',
    args: { ...paths, expect_member: true, host: 'master-1.example.com' },
    plan: {
      changed: false,
      failed:
        /^master-1\.example\.com: cannot learn the member name \(\S+\/etcd\.conf does not exist; set etcd_hostname\), the client URL \(\S+ does not exist; set etcd_ip\), the peer URL \(\S+ does not exist; set etcd_ip\); nothing was changed$/,
    },
  },
  {
    name: 'an etcd host without etcd.conf is described by its variables (a host to be added)',
    args: { ...paths, expect_member: true, etcd_hostname: 'master-3.example.com', openshift_ip: '10.0.0.4' },
    plan: { changed: false },
    result: {
      member: false,
      name: 'master-3.example.com',
      client_url: 'https://10.0.0.4:2379',
      peer_url: 'https://10.0.0.4:2380',
      data_dir: '/var/lib/etcd/',
      tls: { cert_file: '/etc/etcd/server.crt', peer_key_file: '/etc/etcd/peer.key' },
      sources: { name: 'etcd_hostname', ip: 'openshift_ip', data_dir: 'default', tls: 'default' },
    },
  },
  {
    name: 'an etcd.conf without advertise URLs names the key and the variable',
    files: { 'etcd.conf': 'ETCD_NAME=master-0.example.com\nETCD_DATA_DIR=/var/lib/etcd\n' },
    args: { ...paths, expect_member: true },
    plan: { changed: false, failed: /cannot learn the client URL \(\S+\/etcd\.conf has no ETCD_ADVERTISE_CLIENT_URLS; set etcd_ip\), the peer URL \(\S+ has no ETCD_INITIAL_ADVERTISE_PEER_URLS; set etcd_ip\)/ },
  },
  {
    name: 'an unsupported argument',
    args: { ...paths, etcd_name: 'm0' },
    plan: { changed: false, failed: /unsupported argument 'etcd_name'/ },
  },
];
export default table;
