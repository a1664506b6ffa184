/**
 * The suite must pass on a fresh machine where only what .ci/run installs
 * exists. These checks fail on a developer's machine too when a test starts
 * to lean on something installed by hand: an Ansible collection, a stdout
 * callback that ansible-core does not ship, an ansible.cfg.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The benchmark runs Ansible too, and tests/bench runs the benchmark.
const benchDir = path.resolve(testsDir, '..', 'bench');
const { env } = hermeticAnsibleEnv();

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : testSources(p);
    return /\.(ts|mjs|js|sh|ya?ml)$/.test(name) ? [p] : [];
  });
}

t.test('Ansible sees ansible-core and the project’s own callback only', async (t) => {
  const callbacks = execFileSync('ansible-doc', ['-t', 'callback', '-l', '-j'], { env, encoding: 'utf8' });
  const names = Object.keys(JSON.parse(callbacks) as Record<string, string>);
  t.ok(names.includes('ansible.legacy.tsplay_results'), 'the project’s callback is found');
  const foreign = names.filter((n) => n.includes('.') && !/^ansible\.(builtin|legacy)\./.test(n));
  t.same(foreign, [], 'no callback from a collection is visible');
  t.notOk(names.some((n) => n.split('.').pop() === 'json'), 'no json stdout callback to lean on (ansible-core ships none)');
  const collections = execFileSync('ansible-galaxy', ['collection', 'list', '--format', 'json'], { env, encoding: 'utf8' });
  const found = Object.values(JSON.parse(collections || '{}') as Record<string, Record<string, unknown>>).flatMap((c) => Object.keys(c));
  t.same(found, [], 'no collection is installed where Ansible looks');
});

t.test('every test that runs an Ansible tool runs it in the hermetic environment', async (t) => {
  const mine = new Set(['compat/hermetic.test.ts', 'helpers/ansible-env.ts']);
  for (const file of [...testSources(testsDir), ...testSources(benchDir)]) {
    const rel = path.relative(testsDir, file);
    if (mine.has(rel)) continue;
    const src = readFileSync(file, 'utf8');
    t.notMatch(src, /STDOUT_CALLBACK['"]?\s*[:=]\s*['"]json/, `${rel}: no json stdout callback (ansible-core ships none)`);
    t.notMatch(src, /\b(ansible\.posix|community\.general|community\.crypto)\b/, `${rel}: no collection module or plugin`);
    const spawnsAnsible = /(?:exec|spawn|execFile|run)\w*\(\s*['"]ansible(?:-playbook|-inventory|-doc|-vault|-galaxy)?['"]/.test(src);
    if (spawnsAnsible) {
      t.match(src, /hermeticAnsibleEnv|ansibleEnv\b|from '\.\/helpers\/ansible\.js'|from '\.\.\/helpers\/ansible\.js'|inventory\/helpers\/ansible/, `${rel}: runs Ansible with hermeticAnsibleEnv()`);
    }
  }
});
