import t from 'tap';
import { readFileSync } from 'node:fs';
import { editEnv, editEnvList, getEnv, parseEnv, removeEnv, setEnv } from '../../lib/formats/env-file.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const etcd = fixture('etcd.conf');
const flanneld = fixture('flanneld');

t.test('reads values: quoted, unquoted, last assignment wins, comments skipped', async (t) => {
  t.equal(getEnv(etcd, 'ETCD_NAME'), 'master-0.example.com');
  t.equal(getEnv(etcd, 'ETCD_WAL_DIR'), undefined, 'a commented-out key is not set');
  t.equal(getEnv(flanneld, 'FLANNEL_OPTIONS')?.startsWith('-etcd-cafile='), true);
  t.equal(getEnv('A=1\nA=2\n', 'A'), '2');
  t.equal(getEnv('A="x \\"y\\" \\$z"\n', 'A'), 'x "y" $z');
  t.equal(getEnv("A='x # y'\n", 'A'), 'x # y');
  t.equal(getEnv('A=plain # a comment\n', 'A'), 'plain');
  t.equal(getEnv('export A=1\n', 'A'), '1');
  t.equal(getEnv('A=1\r\nB=2\r\n', 'B'), '2');
  t.same(parseEnv('# c\nA=1\n\nB="2"\n').map((e) => [e.key, e.value, e.quote, e.line]), [['A', '1', '', 1], ['B', '2', '"', 3]]);
});

const cases: Array<[string, string, (s: string) => string, string]> = [
  ['change an unquoted value', 'A=1\nB=2\n', (s) => setEnv(s, 'A', '3'), 'A=3\nB=2\n'],
  ['keep double quotes', 'A="x"\n', (s) => setEnv(s, 'A', 'y z'), 'A="y z"\n'],
  ['keep single quotes', "A='x'\n", (s) => setEnv(s, 'A', 'y z'), "A='y z'\n"],
  ['a single quote inside switches to double', "A='x'\n", (s) => setEnv(s, 'A', "it's"), 'A="it\'s"\n'],
  ['quote when the value needs it', 'A=x\n', (s) => setEnv(s, 'A', 'a b'), 'A="a b"\n'],
  ['escape inside double quotes', 'A="x"\n', (s) => setEnv(s, 'A', 'a"$b\\'), 'A="a\\"\\$b\\\\"\n'],
  ['keep a comment at the line end', 'A=x   # why\n', (s) => setEnv(s, 'A', 'y'), 'A=y   # why\n'],
  ['keep CRLF', 'A=1\r\nB=2\r\n', (s) => setEnv(s, 'B', '3'), 'A=1\r\nB=3\r\n'],
  ['add with CRLF', 'A=1\r\n', (s) => setEnv(s, 'C', '3'), 'A=1\r\nC=3\r\n'],
  ['add to a file without a final newline', 'A=1', (s) => setEnv(s, 'C', '3'), 'A=1\nC=3\n'],
  ['add to an empty file', '', (s) => setEnv(s, 'C', '3'), 'C=3\n'],
  ['keep export', 'export A=1\n', (s) => setEnv(s, 'A', '2'), 'export A=2\n'],
  ['change only the last of two', 'A=1\nA=2\n', (s) => setEnv(s, 'A', '3'), 'A=1\nA=3\n'],
  ['remove every assignment, keep comments', '#A=0\nA=1\nB=2\nA=3\n', (s) => removeEnv(s, 'A'), '#A=0\nB=2\n'],
  ['same value: same text', 'A="1"\n', (s) => setEnv(s, 'A', '1'), 'A="1"\n'],
  ['absent key: same text', 'A=1\n', (s) => removeEnv(s, 'B'), 'A=1\n'],
  ['several edits', 'A=1\nB=2\n', (s) => editEnv(s, { A: '9', C: 'x' }, ['B']), 'A=9\nC=x\n'],
];

t.test('edits keep every other byte', async (t) => {
  for (const [name, input, edit, want] of cases) t.equal(edit(input), want, name);
});

t.test('a new key goes after its commented-out template line', async (t) => {
  const out = setEnv(etcd, 'ETCD_WAL_DIR', '/var/lib/etcd/wal');
  t.equal(out, etcd.replace('#ETCD_WAL_DIR=\n', '#ETCD_WAL_DIR=\nETCD_WAL_DIR=/var/lib/etcd/wal\n'));
});

t.test('ETCD_INITIAL_CLUSTER: remove members by name, add or update one', async (t) => {
  const dropped = editEnvList(etcd, 'ETCD_INITIAL_CLUSTER', { remove: ['master-2.example.com'] });
  t.equal(dropped, etcd.replace(',master-2.example.com=https://192.168.55.13:2380', ''), 'as the documents show it');
  t.equal(editEnvList(dropped, 'ETCD_INITIAL_CLUSTER', { remove: ['master-2.example.com'] }), dropped, 'a second run changes nothing');
  const back = editEnvList(dropped, 'ETCD_INITIAL_CLUSTER', { add: ['master-2.example.com=https://192.168.55.13:2380'] });
  t.equal(back, etcd, 'adding it back gives the original bytes');
  const moved = editEnvList(etcd, 'ETCD_INITIAL_CLUSTER', { add: ['master-1.example.com=https://10.0.0.1:2380'] });
  t.equal(getEnv(moved, 'ETCD_INITIAL_CLUSTER'), 'master-0.example.com=https://192.168.55.8:2380,master-1.example.com=https://10.0.0.1:2380,master-2.example.com=https://192.168.55.13:2380', 'same name: updated in place');
  t.equal(editEnvList(etcd, 'ETCD_INITIAL_CLUSTER', { remove: ['master-1.example.com=https://192.168.55.12:2380'] }).includes('master-1'), false, 'or by the whole item');
});

t.test('FLANNEL_ETCD_ENDPOINTS: remove and add URLs, keeping the quoted FLANNEL_OPTIONS', async (t) => {
  const out = editEnvList(flanneld, 'FLANNEL_ETCD_ENDPOINTS', { remove: ['https://master-1.example.com:2379', 'https://master-2.example.com:2379'] });
  t.equal(out, flanneld.replace(',https://master-1.example.com:2379,https://master-2.example.com:2379', ''));
  t.equal(editEnvList(out, 'FLANNEL_ETCD_ENDPOINTS', { add: ['https://master-1.example.com:2379'] }), flanneld.replace(',https://master-2.example.com:2379', ''));
  t.equal(editEnvList('A=x\n', 'L', { add: ['a', 'b'] }), 'A=x\nL=a,b\n', 'a missing list is created');
  t.equal(editEnvList('A=x\n', 'L', { remove: ['a'] }), 'A=x\n', 'nothing to remove from a missing list');
  t.equal(editEnvList('L="a b"\n', 'L', { add: ['c'], sep: ' ' }), 'L="a b c"\n', 'another separator, quotes kept');
});
