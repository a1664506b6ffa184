/**
 * Template result types and module argument types against the real
 * ansible-playbook 2.14 (issue 7): a template's result is text, turned back
 * into data only when it reads as a Python list or dict or True/False;
 * set_fact, register, debug var=, -e values and conditions see those types;
 * module arguments are converted to their declared type; unique, float
 * division, to_yaml and to_nice_yaml print as Ansible prints them; a chain
 * of lazy variables renders each once. Each case runs the same playbook
 * through both tools and compares the exit code, the recap, every banner and
 * host line (sorted per task: hosts finish in any order) and the debug
 * messages. A last group, tsplay only, checks that values too large to build
 * end their task with an error instead of the process.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Ctx } from '../../lib/template/context.js';
import { makeCtx, renderTemplate } from '../../lib/template/render.js';
import { bothOutputs, buildCli, compatDir, parseRecap, perHost, pool, removeBuild, runParityCase, runTsplay, sameRecapAndExit, sameSections, type ParityRun, type Run } from './helpers.js';

interface Case {
  name: string;
  playbook: string;
  inventory: string;
  args?: string[];
}

const four = 'inventories/four/hosts.ini';
const one = 'inventories/one.ini';

const cases: Case[] = [
  { name: 'template results are text, data when they read as a list, dict or bool', playbook: 'types-results.yml', inventory: four },
  { name: 'set_fact, register, debug var=, -e values and conditions', playbook: 'types-facts.yml', inventory: four, args: ['-e', 'ev=5', '-e', '{"ev_json": 5}'] },
  { name: 'module arguments converted to their declared types', playbook: 'types-args.yml', inventory: four },
  { name: 'unique, float division, to_yaml and to_nice_yaml', playbook: 'types-filters.yml', inventory: four },
  { name: 'a chain of 25 lazy variables each used twice', playbook: 'types-lazy.yml', inventory: four },
  { name: 'templates with {% %} statements become data as those with {{ }} do', playbook: 'types-statements.yml', inventory: four },
];

let cli = '';
const outcomes = new Map<string, ParityRun>();
let limits: Run | undefined;

t.before(async () => {
  cli = buildCli('parity-types');
  await pool(cases, 2, async (c) => {
    outcomes.set(c.name, await runParityCase(cli, c));
  });
  limits = await runTsplay(cli, [path.join('playbooks', 'types-limits.yml'), '-i', one]);
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** `ok: [h] => {"msg": ...}` and `ok: [h] => {"var": ...}` pairs in output order per host. */
function debugMessages(stdout: string): Record<string, string[]> {
  return perHost(stdout, /^ok: \[([^\]]+)\] => \{\n([\s\S]*?)\n\}$/gm);
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    const o = outcomes.get(c.name);
    if (!o) throw new Error(`case ${c.name} did not run`);
    sameRecapAndExit(t, o, bothOutputs(o));
    sameSections(t, o);
    t.same(debugMessages(o.tsplay.stdout), debugMessages(o.ansible.stdout), 'same debug output per host, in order');
    t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
  });
}

t.test('the lazy chain renders each variable once (it took 41 s when every use rendered again)', async (t) => {
  // Counted, not timed: the chain's first message rendered with a context that counts lazy renders.
  const play = (parse(readFileSync(path.join(compatDir, 'playbooks/types-lazy.yml'), 'utf8')) as { vars: Record<string, unknown>; tasks: { debug: { msg: string } }[] }[])[0];
  const base = makeCtx(play.vars);
  let renders = 0;
  const counting: Ctx = { ...base, renderLazy: (source, ctx) => (renders++, base.renderLazy(source, ctx)) };
  t.match(renderTemplate(play.tasks[0].debug.msg, counting, false), new RegExp(`^${2 ** 25} ${2 ** 25} `), 's25 and n25 are right');
  t.equal(renders, 50, 'each of the 50 templated variables s1..s25, n1..n25 rendered once');
});

t.test('values too large to build fail their task, the run goes on', async (t) => {
  const r = limits!;
  const all = r.stdout + r.stderr;
  t.equal(r.code, 0, 'every failure was ignored: exit 0', { detail: all });
  t.notMatch(all, /heap out of memory|Fatal (JavaScript )?error|This is a bug/, 'no crash');
  t.notMatch(r.stderr, /^\s+at /m, 'no stack trace');
  t.match(parseRecap(r.stdout), { solo: { ok: 7, failed: 0, ignored: 6 } }, 'six ignored failures, then the last task');
  t.equal((r.stdout.match(/would take the values this template builds past \d+ MB/g) ?? []).length, 4, 'the four huge values say why they failed');
  t.match(r.stdout, /from_json: the input is not valid JSON/, 'from_json says what is wrong');
  t.notMatch(all, /hunter2/, 'without echoing the value it failed on');
  t.match(r.stdout, /argument 'verbosity' must be an integer/, 'an argument that cannot be converted is named');
});
