/** Which hosts a meta task's `when` lets through: per host for end_host, once for the first host for end_play and the like. */
import t from 'tap';
import { metaHosts } from '../../lib/engine/meta-hosts.js';

const hosts = ['h1', 'h2', 'h3'];

t.test('end_host decides per host', async (t) => {
  const d = metaHosts('end_host', hosts, (h) => h === 'h2');
  t.same(d.applies, ['h2']);
  t.same(d.skipped, ['h1', 'h3']);
  t.equal(d.warning, undefined);
});

t.test('end_play decides once, for the first host, and warns when others disagree', async (t) => {
  const no = metaHosts('end_play', hosts, (h) => h === 'h3');
  t.same(no.applies, [], 'false for h1: nothing ends');
  t.same(no.skipped, ['h1'], 'one skip line, for the first host');
  t.match(no.warning, /evaluated only for the first host, h1 \(false\).*true for h3\. So nothing happens for any host/);
  const yes = metaHosts('end_batch', hosts, (h) => h === 'h1');
  t.same(yes.applies, hosts, 'true for h1: every host');
  t.match(yes.warning, /false for h2, h3\. So end_batch applies to every host/);
  const same = metaHosts('end_play', hosts, () => true);
  t.same(same.applies, hosts);
  t.equal(same.warning, undefined, 'no warning when every host agrees');
});

t.test('a host whose condition cannot be evaluated does not make a warning', async (t) => {
  const d = metaHosts('clear_facts', hosts, (h) => {
    if (h === 'h2') throw new Error('undefined');
    return false;
  });
  t.same(d.applies, []);
  t.equal(d.warning, undefined);
});
