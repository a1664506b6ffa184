/**
 * `tsplay doc <module>` says about check mode what the module's own
 * description says, for every module; and what it says is what a run does.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docCommand } from '../../lib/cli/doc-command.js';
import { modulePage } from '../../lib/cli/doc-markdown.js';
import { checkModeText, sentences } from '../../lib/cli/doc-text.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { builtinModuleNames, ModuleRegistry } from '../../lib/module/registry.js';
import type { RunEvent } from '../../lib/output/events.js';

process.chdir(resolve(dirname(fileURLToPath(import.meta.url)), '../..'));

async function doc(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await docCommand(args, { out: (s) => void out.push(s), err: () => undefined, isTTY: false });
  return { code, out: out.join('') };
}

const registry = new ModuleRegistry();
const modules = await registry.loadAll();

t.test('every built-in module has a page', async (t) => {
  t.same(modules.map((m) => m.name).sort(), [...builtinModuleNames].sort());
});

for (const m of modules) {
  t.test(`tsplay doc ${m.name}: check mode as the module says`, async (t) => {
    const { code, out } = await doc([m.name]);
    t.equal(code, 0);
    const section = /\nCHECK MODE:\n {2}(.*)\n/.exec(out)?.[1];
    t.equal(section, checkModeText(m), 'the terminal page');
    t.match(modulePage(m), `## Check mode\n\n${checkModeText(m)}\n`, 'the Markdown page says the same');
    const own = sentences(m.description).filter((s) => /check mode/i.test(s));
    if (own.length) t.equal(section, own.join(' '), 'in the words of its description');
    // Whatever the words, they agree with how the engine treats the module.
    const mode = m.checkMode ?? 'plan';
    if (mode === 'always') t.match(section, /runs in check mode/i);
    if (mode === 'skip') t.match(section, /skipped/i);
    if (mode === 'plan') t.notMatch(section, /runs in check mode too/i);
    const json = JSON.parse((await doc([m.name, '--json'])).out);
    t.equal(json.checkModeText, section, '--json carries it too');
  });
}

/** One task on the local host in check mode: its status. */
async function checkStatus(task: Record<string, unknown>): Promise<string | undefined> {
  const events: RunEvent[] = [];
  await runPlaybook({
    inventory: { all: { hosts: { box: { ansible_connection: 'local' } } } },
    playbook: { plays: [{ hosts: 'all', gather_facts: false, tasks: [task] }] },
    check: true,
    reporters: [(e) => events.push(e)],
  });
  const r = events.find((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
  return r?.status;
}

t.test('what the pages say is what check mode does', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-doc-check-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'marker');
  writeFileSync(join(dir, 'there'), '');
  for (const mod of ['command', 'shell']) {
    t.equal(await checkStatus({ [mod]: `touch ${marker}` }), 'skipped', `${mod}: skipped in check mode`);
    t.equal(await checkStatus({ [mod]: { cmd: `touch ${marker}`, creates: join(dir, 'there') } }), 'ok', `${mod}: creates decides (it exists: no run)`);
    t.equal(await checkStatus({ [mod]: { cmd: `touch ${marker}`, creates: join(dir, 'absent') } }), 'changed', `${mod}: creates decides (missing: it would run)`);
  }
  t.equal(await checkStatus({ debug: { msg: 'x' } }), 'ok', 'debug runs in check mode');
  t.equal(await checkStatus({ copy: { content: 'x', dest: marker } }), 'changed', 'copy reports what would change');
  t.equal(await checkStatus({ stat: { path: join(dir, 'there') } }), 'ok', 'stat runs');
  const { existsSync } = await import('node:fs');
  t.notOk(existsSync(marker), 'nothing was changed');
});

t.test('doc --help, --out without --markdown, an unknown module', async (t) => {
  t.match((await doc(['--help'])).out, /--markdown/);
  await t.rejects(doc(['--out', 'x']), /--out goes with --markdown/);
  await t.rejects(doc(['comand']), /module 'comand' not found/);
  const md = await doc(['--markdown', 'command']);
  t.match(md.out, /^<!-- Generated/);
  t.match(md.out, /# command\n/);
});
