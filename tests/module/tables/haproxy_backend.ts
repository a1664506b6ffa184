import type { Table } from './index.js';

const cfg = 'global\n    maxconn 10\n\nlisten stats\n    bind :9000\n    server m0 10.0.0.1:9001 check\n\nbackend api\n    mode tcp\n    server m0 10.0.0.1:8443 check # first\n    server m1 10.0.0.2:8443 check\n';

const table: Table = () => [
  {
    name: 'remove a server from one backend',
    files: { 'haproxy.cfg': cfg },
    args: { path: '{{ test_dir }}/haproxy.cfg', backend: 'api', server: 'm0', state: 'absent', reload: 'none', validate: 'grep -q "^backend api" %s' },
    plan: { changed: true },
    expect: { 'haproxy.cfg': cfg.replace('    server m0 10.0.0.1:8443 check # first\n', '') },
    result: { servers: ['m1'] },
  },
  {
    name: 'add a server',
    files: { 'haproxy.cfg': cfg },
    args: { path: '{{ test_dir }}/haproxy.cfg', backend: 'api', server: 'm2', address: '10.0.0.3:8443', options: 'check', reload: 'none', validate: 'true %s' },
    plan: { changed: true },
    expect: { 'haproxy.cfg': cfg + '    server m2 10.0.0.3:8443 check\n' },
  },
  { name: 'absent already', files: { 'haproxy.cfg': cfg }, args: { path: '{{ test_dir }}/haproxy.cfg', backend: 'api', server: 'm9', state: 'absent' }, plan: { changed: false } },
  {
    name: 'a failed validate leaves the old file',
    files: { 'haproxy.cfg': cfg },
    args: { path: '{{ test_dir }}/haproxy.cfg', backend: 'api', server: 'm2', address: 'x:1', reload: 'none', validate: 'false %s' },
    plan: { changed: true },
    applied: { changed: false, failed: /validation of the new .* failed/ },
    expect: { 'haproxy.cfg': cfg },
    idempotent: false,
  },
];
export default table;
