import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compatDir } from './compat-dir.js';
import { addChildGroup, addHost, listHosts, moveHost, removeHost } from '../../lib/formats/ini-inventory.js';

const hosts = readFileSync(new URL('./fixtures/hosts.ini', import.meta.url), 'utf8');
const compat = path.join(compatDir(), 'inventories');

t.test('lists the hosts of a group', async (t) => {
  t.same(listHosts(hosts, 'masters'), ['master-0.example.com', 'master-1.example.com', 'master-2.example.com']);
  t.same(listHosts(hosts, 'OSEv3'), [], 'children and vars sections hold no hosts');
  t.same(listHosts('a\nb x=1\n[g]\nc\n', 'ungrouped'), ['a', 'b']);
});

t.test('remove a host from [etcd] and [masters]: only its lines go', async (t) => {
  let out = removeHost(hosts, 'etcd', 'master-2.example.com');
  t.equal(out, hosts.replace('master-2.example.com etcd_ip=192.168.55.13\n', ''));
  out = removeHost(out, 'masters', 'master-1.example.com');
  t.equal(out, hosts.replace('master-2.example.com etcd_ip=192.168.55.13\n', '').replace('master-1.example.com   # the second\n', ''));
  t.equal(removeHost(out, 'masters', 'master-1.example.com'), out, 'absent: no change');
  const rangeLine = "master-[0:2].example.com openshift_node_group_name='node-config-master'\n";
  t.equal(
    removeHost(hosts, 'nodes', 'master-1.example.com'),
    hosts.replace(rangeLine, "master-0.example.com openshift_node_group_name='node-config-master'\nmaster-2.example.com openshift_node_group_name='node-config-master'\n"),
    'a host listed through a range: the range\'s other hosts, one per line, with the line\'s variables',
  );
});

t.test('ranges as Ansible expands them', async (t) => {
  const src = '[g]\n  n[01:07:3].x a=1 # three\n[h]\nw[a:c]\n[k]\nh[1:2]-[a:b]\n';
  t.equal(removeHost(src, 'g', 'n04.x'), '[g]\n  n01.x a=1 # three\n  n07.x a=1 # three\n[h]\nw[a:c]\n[k]\nh[1:2]-[a:b]\n', 'zero-padded, with a step; indentation and comment kept');
  t.equal(removeHost(src, 'g', 'n02.x'), src, 'a host the step skips is not in the range');
  t.equal(removeHost(src, 'h', 'wb'), '[g]\n  n[01:07:3].x a=1 # three\n[h]\nwa\nwc\n[k]\nh[1:2]-[a:b]\n', 'letters');
  t.equal(removeHost(src, 'k', 'h2-a'), '[g]\n  n[01:07:3].x a=1 # three\n[h]\nw[a:c]\n[k]\nh1-a\nh1-b\nh2-b\n', 'two ranges in one name');
  t.equal(addHost(src, 'g', 'n07.x'), src, 'added while a range lists it: no change');
  t.equal(addHost(src, 'h', 'wc', { v: 2 }), '[g]\n  n[01:07:3].x a=1 # three\n[h]\nwa\nwb\nwc v=2\n[k]\nh[1:2]-[a:b]\n', 'its own variables: the range is written out first');
  t.throws(() => removeHost('[g]\nh[0:99999999]\n', 'g', 'h5'), /host 'h5' may be in \[g\] through the range 'h\[0:99999999\]', which stands for more than 10000 hosts: edit that line by hand/, 'a range too large to write out: edit by hand');
  t.equal(removeHost('[g]\nh[0:99999999]\n', 'g', 'other'), '[g]\nh[0:99999999]\n', 'a host of another shape: not listed, no change');
});

t.test('add a host: after the group\'s last host, with its vars', async (t) => {
  const out = addHost(hosts, 'etcd', 'master-3.example.com', { etcd_ip: '192.168.55.14' });
  t.equal(out, hosts.replace('etcd_ip=192.168.55.13\n', 'etcd_ip=192.168.55.13\nmaster-3.example.com etcd_ip=192.168.55.14\n'));
  t.equal(addHost(out, 'etcd', 'master-3.example.com', { etcd_ip: '192.168.55.14' }), out, 'second run: same text');
  t.equal(addHost(hosts, 'etcd', 'master-2.example.com', { etcd_ip: '10.0.0.3' }), hosts.replace('etcd_ip=192.168.55.13', 'etcd_ip=10.0.0.3'), 'a var changes in place');
  t.equal(addHost(hosts, 'masters', 'master-1.example.com', { x: 'a b' }), hosts.replace('master-1.example.com   # the second', 'master-1.example.com x="a b"   # the second'), 'a new var goes before the comment');
  t.equal(addHost(hosts, 'masters', 'master-1.example.com'), hosts, 'present without vars: no change');
  t.equal(addHost('[a]\nx\n', 'new', 'h'), '[a]\nx\n\n[new]\nh\n', 'a new group at the end');
  t.equal(addHost('[a]\r\nx\r\n\r\n[b]\r\n', 'a', 'y'), '[a]\r\nx\r\ny\r\n\r\n[b]\r\n', 'CRLF kept');
  t.equal(addHost('[a]\n; only a comment\n', 'a', 'y'), '[a]\ny\n; only a comment\n', 'an empty group gets the host after its header');
});

t.test('move a host between groups with its line: openshift-ansible\'s [etcd] → [new_etcd] and back', async (t) => {
  const src = '[OSEv3:children]\nmasters\netcd\n\n[masters]\nm0\n\n[etcd]\ne0 ansible_host=10.0.0.1 openshift_ip=10.0.0.1\n  e1 ansible_host=10.0.0.2 x="a b"   # the second\n';
  const down = addChildGroup(moveHost(src, 'etcd', 'new_etcd', 'e1'), 'OSEv3', 'new_etcd');
  t.equal(down, '[OSEv3:children]\nmasters\netcd\nnew_etcd\n\n[masters]\nm0\n\n[etcd]\ne0 ansible_host=10.0.0.1 openshift_ip=10.0.0.1\n\n[new_etcd]\ne1 ansible_host=10.0.0.2 x="a b"   # the second\n', 'the line, variables and comment, in a new [new_etcd] listed under [OSEv3:children]');
  t.equal(addChildGroup(moveHost(down, 'etcd', 'new_etcd', 'e1'), 'OSEv3', 'new_etcd'), down, 'again: no change');
  const back = moveHost(down, 'new_etcd', 'etcd', 'e1');
  t.equal(back, '[OSEv3:children]\nmasters\netcd\nnew_etcd\n\n[masters]\nm0\n\n[etcd]\ne0 ansible_host=10.0.0.1 openshift_ip=10.0.0.1\ne1 ansible_host=10.0.0.2 x="a b"   # the second\n\n[new_etcd]\n', 'back in [etcd] after its last host; [new_etcd] left empty');
  t.equal(moveHost(back, 'new_etcd', 'etcd', 'e1'), back, 'again: no change');
  t.equal(moveHost('[a]\nh p=1 q=2\n[b]\nh q=9 # b\n', 'a', 'b', 'h'), '[a]\n[b]\nh q=9 p=1 # b\n', 'listed in both: the target keeps its values and gains the ones it lacks');
  t.equal(moveHost('[a]\nh[1:3] v=1\n', 'a', 'b', 'h2'), '[a]\nh1 v=1\nh3 v=1\n\n[b]\nh2 v=1\n', 'listed through a range: written out, its line moves');
  t.equal(moveHost('[a]\nh1 v=1\n', 'a', 'b', 'h2', true), '[a]\nh1 v=1\n', 'not in the source group: no change');
  t.equal(moveHost('[a]\nh v=1\n', 'a', 'b', 'h', true), '[a]\nh v=1\n\n[b]\nh v=1\n', 'keep: copied');
  t.throws(() => moveHost(src, 'etcd', 'etcd', 'e1'), /from \[etcd\] to itself/);
  t.equal(addChildGroup('[a]\nx\n', 'P', 'a'), '[a]\nx\n\n[P:children]\na\n', 'a [PARENT:children] section is appended when missing');
  t.throws(() => addChildGroup(src, 'OSEv3', 'bad group'), /cannot be an INI section header/);
});

t.test('real-world inventories: remove then add back gives the same bytes', async (t) => {
  const src = readFileSync(path.join(compat, 'openshift-ansible__inventory__hosts.example'), 'utf8');
  const masters = listHosts(src, 'masters');
  t.same(masters, ['ose3-master[1:3].test.example.com'], 'the example\'s one [masters] line');
  const last = masters[masters.length - 1]!;
  const out = removeHost(src, 'masters', last);
  t.not(out, src);
  t.same(listHosts(out, 'masters'), masters.slice(0, -1));
  t.equal(out.length, src.length - src.split('\n').find((l) => l.startsWith(last + ' ') || l === last)!.length - 1, 'exactly one line gone');
});
