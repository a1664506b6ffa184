import t from 'tap';
import { readFileSync } from 'node:fs';
import { addYamlItems, getYaml, removeYamlItems, setYaml } from '../../lib/formats/yaml-edit.js';

const mc = readFileSync(new URL('./fixtures/master-config.yaml', import.meta.url), 'utf8');
const url = (i: number) => `https://master-${i}.example.com:2379`;

t.test('etcdClientInfo.urls: remove hosts, add them back, every other byte kept', async (t) => {
  const out = removeYamlItems(mc, 'etcdClientInfo.urls', [url(1), url(2)]);
  t.equal(out, mc.replace(`  - ${url(1)}\n  - ${url(2)}\n`, ''));
  t.same(getYaml(out, 'etcdClientInfo.urls'), [url(0)]);
  t.equal(removeYamlItems(out, 'etcdClientInfo.urls', [url(1)]), out, 'second run: same text');
  const back = addYamlItems(out, 'etcdClientInfo.urls', [url(1), url(2)]);
  t.equal(back, mc, 'adding them back restores the original bytes');
  t.equal(addYamlItems(mc, 'etcdClientInfo.urls', [url(0)]), mc, 'present: no change');
});

t.test('set a scalar in place, keeping its quoting and line-end comment', async (t) => {
  t.equal(setYaml(mc, 'etcdClientInfo.certFile', 'x.crt'), mc.replace('certFile: master.etcd-client.crt   #', 'certFile: x.crt   #'));
  t.equal(setYaml(mc, 'controllers', 'a'), mc.replace("controllers: '*'", "controllers: 'a'"));
  t.equal(setYaml(mc, 'servingInfo.maxRequestsInFlight', 1000), mc.replace('500', '1000'));
  t.equal(setYaml(mc, 'servingInfo.maxRequestsInFlight', '1000'), mc.replace('500', '"1000"'), 'a string that looks like a number is quoted');
  t.equal(setYaml(mc, 'kind', 'MasterConfig'), mc, 'same value: same text');
  t.equal(setYaml(mc, 'apiLevels.0', 'v2'), mc.replace('- v1\napiVersion', '- v2\napiVersion'), 'a list item by index');
});

t.test('set a whole list, add new keys', async (t) => {
  t.equal(setYaml(mc, 'etcdClientInfo.urls', [url(0)]), mc.replace(`  - ${url(1)}\n  - ${url(2)}\n`, ''), 'the sequence style of the file is kept');
  t.equal(setYaml(mc, 'servingInfo.bindNetwork', 'tcp4'), mc + '  bindNetwork: tcp4\n', 'a new key at the end of its mapping');
  t.equal(setYaml(mc, 'etcdClientInfo.timeout', 5), mc.replace(`  - ${url(2)}\n`, `  - ${url(2)}\n  timeout: 5\n`));
  t.equal(setYaml(mc, 'a.b', ['x']), mc + 'a:\n  b:\n  - x\n', 'a new nested key at the top');
  t.equal(setYaml(mc, 'admissionConfig.pluginConfig', { a: 1 }), mc.replace('pluginConfig: {}', 'pluginConfig: {a: 1}'), 'a flow mapping stays flow');
  t.equal(setYaml('a: [x, y]  # c\n', 'a', ['x']), 'a: [x]  # c\n');
  t.equal(addYamlItems('a: []\n', 'a', ['x']), 'a: [x]\n', 'an empty flow list stays flow');
  t.equal(addYamlItems('b: 1\n', 'a', ['x']), 'b: 1\na:\n- x\n', 'a missing list is created');
  t.equal(setYaml('a: 1\r\nb: 2\r\n', 'c', 3), 'a: 1\r\nb: 2\r\nc: 3\r\n', 'CRLF kept');
  t.equal(setYaml('a:\n  - x\n', 'a', 'y'), 'a: y\n', 'a list replaced by a scalar');
  t.equal(addYamlItems('a:\n    - x # one\n    - y\nb: 2\n', 'a', ['z']), 'a:\n    - x # one\n    - y\n    - z\nb: 2\n', 'deeper indentation copied');
  t.equal(removeYamlItems('a:\n- x # one\n- y\n', 'a', ['x']), 'a:\n- y\n', 'the comment at the removed line end goes with it');
});

t.test('errors name the path', async (t) => {
  t.throws(() => addYamlItems(mc, 'kind', ['x']), /'kind' is not a list/);
  t.throws(() => setYaml(mc, 'kind.x', 1), /'kind' is not a mapping/);
  t.throws(() => setYaml('a: [\n', 'a', 1), /not valid YAML/);
});
