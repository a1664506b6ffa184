/**
 * Python formatting and filters Ansible playbooks use (% formatting, format,
 * product, combinations, permutations, groupby, batch, path_join, log, pow,
 * root, wordcount, center, tuples), checked against the repr() of what
 * ansible-core 2.14's templar gave for the same templates:
 * fixtures/ansible-filters.json.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { renderString, renderValue } from '../../lib/template/index.js';
import { pyRepr } from '../../lib/template/values.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/ansible-filters.json', import.meta.url), 'utf8')) as { cases: [string, string][] };

t.test('the same values as Ansible', async (t) => {
  for (const [src, want] of fixture.cases) {
    // The fixture is the repr() of the templar's value. A string is compared by its repr; any other value by the
    // template's text, which is that value printed: tuples and floats as the templar made them. (renderValue reads
    // the text back as a task's variable, where Ansible has turned each tuple into a list; parity-jinja compares that.)
    const v = renderValue(src, {});
    t.equal(typeof v === 'string' || v === null ? pyRepr(v) : renderString(src, {}), want, src);
  }
});

t.test('% formatting errors', async (t) => {
  t.throws(() => renderValue("{{ '%s %s' % ('a',) }}", {}), /not enough arguments/);
  t.throws(() => renderValue("{{ '%s' % ('a', 'b') }}", {}), /not all arguments converted/);
  t.throws(() => renderValue("{{ '%d' % 'x' }}", {}), /%d format: a number is required, not str/);
  t.throws(() => renderValue("{{ '%(a)s' % {'b': 1} }}", {}), /no key 'a'/);
  t.throws(() => renderValue("{{ '%10000000000s' % 'x' }}", {}), /past \d+ MB/);
});
