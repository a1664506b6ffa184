/**
 * A playbook naming a lookup no plugin has fails when it is read (so
 * --syntax-check reports it), at the value that names it; text that only
 * mentions a lookup (outside {{ }}, in {% raw %}, tagged !unsafe) and names
 * computed by an expression load.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlaybook } from '../../lib/playbook/load.js';
import { TsplayError } from '../../lib/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-lookup-names-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function load(tasks: string): Promise<unknown> {
  const file = path.join(dir, `play${n++}.yml`);
  writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
  return loadPlaybook(file);
}

t.test('an unknown lookup fails the load at its value', async (t) => {
  const e = await load("    - debug:\n        msg: \"a {{ lookup('nope', 'x') }}\"\n").catch((x: unknown) => x);
  t.ok(e instanceof TsplayError, 'a tsplay error');
  t.match(e, { kind: 'validation', message: 'lookup plugin (nope) not found', pos: { line: 5, col: 14 } });
  t.match((e as TsplayError).hint, /the lookups are: .*file.*password/);
  await t.rejects(load("    - debug: msg=x\n      when: q('acme.tools.dig', 'x') | length > 0\n"), { message: 'lookup plugin (acme.tools.dig) not found' }, 'a bare condition, a collection name');
  await t.rejects(load("    - block:\n        - debug:\n            msg: \"{{ query( 'nope2' ) }}\"\n"), { message: /nope2/, pos: { line: 6 } }, 'inside a block');
});

t.test('what loads', async (t) => {
  await t.resolves(load("    - debug:\n        msg: \"{{ lookup('file', 'a') }} {{ query('ansible.builtin.env', 'H') }} {{ q('first_found', 'x') }}\"\n"), 'known names');
  await t.resolves(load("    - shell: \"grep \\\"lookup('nope')\\\" f; echo {{ x }}\"\n"), 'a mention outside {{ }}');
  await t.resolves(load("    - debug:\n        msg: \"{% raw %}{{ lookup('nope') }}{% endraw %}\"\n"), 'inside {% raw %}');
  await t.resolves(load("    - debug:\n        msg: !unsafe \"{{ lookup('nope') }}\"\n"), 'tagged !unsafe');
  await t.resolves(load("    - debug:\n        msg: \"{{ lookup(name, 'x') }}\"\n"), 'a computed name');
});
