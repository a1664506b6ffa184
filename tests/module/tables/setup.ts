import type { Table } from './index.js';

const table: Table = ({ user }) => [
  { name: 'facts of the login user', args: {}, plan: { changed: false }, result: { ansible_facts: { ansible_user_id: user, ansible_system: 'Linux', module_setup: true, gather_subset: ['all'] } } },
  { name: 'gather_facts under become reports root', args: {}, become: true, plan: { changed: false }, result: { ansible_facts: { ansible_user_id: 'root', ansible_user_uid: 0, ansible_user_dir: '/root' } } },
  {
    name: 'a subset and a filter keep only what they name',
    args: { gather_subset: '!all,!min,user', filter: ['user_id', 'ansible_user_ui?'] },
    plan: { changed: false },
    result: { ansible_facts: { ansible_user_id: user, ansible_hostname: undefined, gather_subset: undefined, ansible_env: undefined } },
  },
  {
    name: 'the network subset has the interfaces and the loopback',
    args: { gather_subset: ['!all', '!min', 'network'] },
    plan: { changed: false },
    result: { ansible_facts: { ansible_lo: { device: 'lo', active: true, type: 'loopback', ipv4: { address: '127.0.0.1', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' } }, ansible_distribution_version: /^\d/, ansible_memtotal_mb: undefined } },
  },
  {
    name: 'ansible_local from a fact folder: JSON, INI, a script',
    files: { 'facts.d/a.fact': '{"x": [1, 2]}\n', 'facts.d/b.fact': '[Sec]\nKey = v\n', 'facts.d/c.fact': { content: '#!/bin/sh\necho \'{"ran": true}\'\n', mode: 0o755 } },
    args: { gather_subset: ['!all', '!min', 'local'], fact_path: '{{ test_dir }}/facts.d' },
    plan: { changed: false },
    result: { ansible_facts: { ansible_local: { a: { x: [1, 2] }, b: { Sec: { key: 'v' } }, c: { ran: true } } } },
  },
  { name: 'an unknown subset fails the task', args: { gather_subset: ['bogus'] }, plan: { changed: false, failed: /^Bad subset 'bogus' given to Ansible\. gather_subset options allowed: all, all_ipv4_addresses, / } },
];
export default table;
