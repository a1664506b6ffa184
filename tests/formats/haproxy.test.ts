import t from 'tap';
import { readFileSync } from 'node:fs';
import { listSections, listServers, removeServer, setServer } from '../../lib/formats/haproxy.js';

const cfg = readFileSync(new URL('./fixtures/haproxy.cfg', import.meta.url), 'utf8');
const lines = (s: string) => s.split('\n');

t.test('sections: global, defaults, listen, frontend, backend', async (t) => {
  t.same(listSections(cfg).map((s) => `${s.kind} ${s.name}`.trim()), [
    'global', 'defaults', 'listen stats', 'frontend atomic-openshift-api', 'backend atomic-openshift-api', 'backend mgmt8443', 'listen etcd',
  ]);
  t.same(listServers(cfg, 'mgmt8443').map((s) => [s.name, s.address, s.options]), [
    ['master-0.example.com', '192.168.55.8:8443', 'check'],
    ['master-1.example.com', '192.168.55.12:8443', 'check'],
    ['master-2.example.com', '192.168.55.13:8443', 'check'],
  ]);
  t.same(listServers(cfg, 'etcd').map((s) => s.name), ['master-0.example.com', 'master-1.example.com'], 'a listen section holds servers too');
  t.throws(() => listServers(cfg, 'atomic-openshift-api-x'), /no backend or listen section named 'atomic-openshift-api-x' \(it has: stats, atomic-openshift-api, mgmt8443, etcd\)/);
});

t.test('remove a server from one backend only (the same name is in three sections)', async (t) => {
  const out = removeServer(cfg, 'mgmt8443', 'master-0.example.com');
  t.equal(out, cfg.replace('    server master-0.example.com 192.168.55.8:8443 check   # the first master\n', ''));
  t.equal(lines(out).filter((l) => l.includes('server master-0.example.com')).length, 2, 'the listen sections keep theirs');
  t.equal(removeServer(out, 'mgmt8443', 'master-0.example.com'), out, 'absent: nothing changes');
});

t.test('add a server after the last one, with its indentation', async (t) => {
  const out = setServer(cfg, { backend: 'atomic-openshift-api', name: 'master3', address: '192.168.55.14:8443', options: 'check' });
  t.equal(out, cfg.replace('    server      master2 192.168.55.13:8443 check\n', '    server      master2 192.168.55.13:8443 check\n    server      master3 192.168.55.14:8443 check\n'.replace('server      master3', 'server master3')));
  t.equal(setServer(out, { backend: 'atomic-openshift-api', name: 'master3', address: '192.168.55.14:8443', options: ['check'] }), out, 'second run: same text');
});

t.test('update a server in place, keeping its comment', async (t) => {
  const out = setServer(cfg, { backend: 'mgmt8443', name: 'master-0.example.com', address: '10.0.0.1:8443', options: 'check inter 2s' });
  t.equal(out, cfg.replace('server master-0.example.com 192.168.55.8:8443 check   # the first master', 'server master-0.example.com 10.0.0.1:8443 check inter 2s   # the first master'));
});

t.test('odd files: CRLF, no final newline, an empty backend, indented headers', async (t) => {
  const crlf = 'global\r\n  maxconn 10\r\nbackend b\r\n  mode tcp\r\n  server a 1.1.1.1:1 check\r\n';
  t.equal(setServer(crlf, { backend: 'b', name: 'c', address: '1.1.1.2:1' }), crlf + '  server c 1.1.1.2:1\r\n');
  t.equal(removeServer(crlf, 'b', 'a'), 'global\r\n  maxconn 10\r\nbackend b\r\n  mode tcp\r\n');
  t.equal(setServer('backend b\n\tmode tcp', { backend: 'b', name: 'a', address: 'x:1', options: 'check' }), 'backend b\n\tmode tcp\n\tserver a x:1 check\n');
  t.equal(setServer('backend b\n', { backend: 'b', name: 'a', address: 'x:1' }), 'backend b\n    server a x:1\n');
  t.equal(setServer('backend b\n  server a x:1\n\n# next\nbackend c\n', { backend: 'b', name: 'z', address: 'y:1' }), 'backend b\n  server a x:1\n  server z y:1\n\n# next\nbackend c\n', 'blank lines and comments between sections stay');
  t.equal(removeServer('backend b\n  # server a x:1\n  server a x:1\n', 'b', 'a'), 'backend b\n  # server a x:1\n', 'a commented-out server is not a server');
});
