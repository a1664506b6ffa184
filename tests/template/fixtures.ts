/** Variables shaped like the ones the engine provides (magic variables, registered results, a lazy hostvars Proxy). */
export function hostVars(): Record<string, unknown> {
  const hosts: Record<string, Record<string, unknown>> = {
    'master-0': { ansible_host: '10.0.0.10', etcd_ip: '10.1.0.10' },
    'master-1': { ansible_host: '10.0.0.11', etcd_ip: '10.1.0.11' },
    'master-2': { ansible_host: '10.0.0.12' },
  };
  const reads: string[] = [];
  // Like the engine's lazy hostvars: only a `get` trap, no ownKeys or has.
  const hostvars = new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? (reads.push(k), hosts[k]) : undefined) });
  return {
    inventory_hostname: 'master-0',
    groups: { all: ['master-0', 'master-1', 'master-2'], etcd: ['master-0', 'master-1'], masters: ['master-0', 'master-1', 'master-2'] },
    group_names: ['etcd', 'masters'],
    hostvars,
    hostvars_reads: reads,
    ansible_play_hosts: ['master-0', 'master-1'],
    ansible_check_mode: false,
    item: 'master-1',
    ansible_loop: { index: 1, first: true, last: false },
    result: { rc: 2, failed: true, changed: false, stdout: 'out', stderr: 'err', stdout_lines: ['out'] },
    ok_result: { rc: 0, failed: false, changed: true },
    skipped_result: { skipped: true, changed: false },
    port: 2379,
    cluster: { name: 'prod', members: [{ name: 'm0', ip: '10.1.0.10' }, { name: 'm1', ip: '10.1.0.11' }] },
    a: '{{ b }}-x',
    b: 'hello',
    peers: "{{ groups['etcd'] | map('extract', hostvars, 'etcd_ip') | list }}",
    self_ref: '{{ self_ref }}',
    ping: '{{ pong }}',
    pong: 'x{{ ping }}',
    uses_missing: '{{ missing_var }}',
    str_false: 'false',
    empty: '',
    nothing: null,
  };
}
