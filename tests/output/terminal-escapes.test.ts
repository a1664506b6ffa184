/**
 * Host output never steers the operator's terminal: a command that prints an
 * OSC window title, a screen clear, cursor moves, a carriage return, the
 * one-byte C1 CSI, DEL and a bidi override is run for real, and its output,
 * registered and shown every way a person sees it (result lines, debug,
 * loop item labels, task names, failures, diffs, the -vvv trace, the live
 * view), reaches stdout and stderr only as visible escapes. The record
 * (--json) keeps the exact text.
 */
import t from 'tap';
import { EventEmitter } from 'node:events';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { visibleText } from '../../lib/output/visible-text.js';
import { recapLine } from '../../lib/output/plain.js';
import { emptyStats } from '../../lib/output/events.js';
import { buildCli, LOCAL_INVENTORY, removeBuild, scratch, tsplayCli } from '../security/helpers.js';

// ink decides once, when first loaded, whether it is in CI (then it never draws a live region).
for (const k of Object.keys(process.env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete process.env[k];

const cli = buildCli('output-terminal-escapes');
t.teardown(() => removeBuild(cli));

/** What the host prints: OSC title, clear screen, cursor move, CR, C1 CSI, DEL, right-to-left override. */
const EVIL = 'a\x1b]0;TITLE\x07b\x1b[2J\x1b[10;1Hc\rd\u009b2Je\x7ff\u202eg';
const PRINTF = "printf 'a\\033]0;TITLE\\007b\\033[2J\\033[10;1Hc\\rd\\302\\2332Je\\177f\\342\\200\\256g'";
const SHOWN = 'a\\u001b]0;TITLE\\u0007b\\u001b[2J\\u001b[10;1Hc\\u000dd\\u009b2Je\\u007ff\\u202eg';
/** No raw control character but newline and tab; `colour` allows tsplay's own SGR colours. */
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const rawIn = (s: string, colour = false) => RAW.exec(colour ? s.replace(/\x1b\[[0-9;]*m/g, '') : s);

t.test('visibleText escapes every terminal control, and nothing else', async (t) => {
  t.equal(visibleText(EVIL), SHOWN);
  t.equal(visibleText('plain text, ünïcødé ✓ 日本\n\tindented'), 'plain text, ünïcødé ✓ 日本\n\tindented', 'text, newline and tab stay');
  t.equal(visibleText('a\nb\tc', { oneLine: true }), 'a\\u000ab\\u0009c', 'one line: newline and tab escaped');
  for (let c = 0; c < 0x20; c++) if (c !== 0x0a && c !== 0x09) t.notOk(rawIn(visibleText(`x${String.fromCharCode(c)}y`)), `C0 ${c.toString(16)}`);
  for (let c = 0x7f; c < 0xa0; c++) t.notOk(rawIn(visibleText(String.fromCharCode(c))), `DEL/C1 ${c.toString(16)}`);
  for (const ch of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029']) {
    t.equal(visibleText(ch), `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  t.equal(visibleText('\x1b'.repeat(3)), '\\u001b\\u001b\\u001b');
});

t.test("the recap's host names are visible text", async (t) => {
  const line = recapLine(`web\x1b[2J1`, { ...emptyStats(), ok: 1 }, (_c, s) => `\x1b[0;32m${s}\x1b[0m`);
  t.notOk(rawIn(line, true), 'only the colour is raw');
  t.ok(line.startsWith(`\x1b[0;32m${'web\\u001b[2J1'.padEnd(26)}\x1b[0m : \x1b[0;32mok=1`), JSON.stringify(line));
});

const s = scratch('tsplay-out-escapes-', { hosts: LOCAL_INVENTORY });
const target = path.join(s.dir, 'copied.txt');
s.write(
  'play.yml',
  `- hosts: localhost
  gather_facts: no
  tasks:
    - shell: ${JSON.stringify(PRINTF)}
      register: r
    - debug: var=r.stdout
    - debug: msg="{{ r.stdout }}"
    - debug: msg="{{ item }}"
      loop: ["{{ r.stdout }}", plain]
    - copy:
        content: "{{ r.stdout }}"
        dest: ${target}
    - command: ${PRINTF} >&2; exit 3
      ignore_errors: true
    - fail: msg="{{ r.stdout }}"
      ignore_errors: true
`,
);

for (const args of [[], ['-v'], ['-vvv'], ['--diff'], ['--diff', '-vv']]) {
  t.test(`plain output ${args.join(' ') || '(default)'}: no raw control reaches the terminal`, async (t) => {
    rmSync(target, { force: true });
    const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml', ...args], s.dir);
    t.equal(r.code, 0, r.stdout + r.stderr);
    const raw = rawIn(r.stdout) ?? rawIn(r.stderr);
    t.notOk(raw, `no raw control character${raw ? ` (${JSON.stringify(raw[0])} near ${JSON.stringify(r.stdout.slice(Math.max(0, raw.index - 40), raw.index + 40))})` : ''}`);
    t.match(r.stdout, `(item=${SHOWN})`, 'the item label');
    if (args.includes('--diff')) t.match(r.stdout, `+${SHOWN}`, 'the diff');
  });
}

t.test('--json keeps the exact text, JSON-escaped', async (t) => {
  const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'play.yml', '--json'], s.dir);
  t.equal(r.code, 0);
  t.notOk(rawIn(r.stdout), 'JSON has no raw control characters');
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const results = events.filter((e) => e.type === 'host_result') as { result: Record<string, unknown>; item?: unknown }[];
  t.equal(results[0].result.stdout, EVIL, 'the registered output, exact');
  t.ok(
    results.some((e) => e.item === EVIL),
    'the item label, exact',
  );
  t.equal(existsSync(target), true);
});

/** A terminal's stdout as ink sees it, recording what is written. */
class FakeTty extends EventEmitter {
  columns = 400;
  rows = 30;
  isTTY = true;
  written = '';
  write(chunk: string | Uint8Array, cb?: () => void): boolean {
    this.written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    if (typeof cb === 'function') cb();
    return true;
  }
}

t.test('the live view and its static lines show host data as visible text', async (t) => {
  const { runPlaybook } = await import('../../lib/index.js');
  const { createInkReporter } = await import('../../lib/output/ink/index.js');
  const gate = path.join(s.dir, 'gate');
  s.write(
    'live.yml',
    `- hosts: localhost
  gather_facts: no
  tasks:
    - shell: ${JSON.stringify(PRINTF)}
      register: r
    - name: live
      shell: ": '{{ r.stdout }}'; {{ 'true' if item != 'wait' else 'while [ ! -e ${gate} ]; do sleep 0.05; done' }}"
      loop: ["{{ r.stdout }}", wait]
`,
  );
  const tty = new FakeTty();
  const ink = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 3, diff: true, color: true });
  const run = runPlaybook({ playbooks: [path.join(s.dir, 'live.yml')], inventory: [path.join(s.dir, 'hosts')], verbosity: 3, reporters: [ink.reporter] });
  // The live region shows the finished item and the running command while the second item waits.
  for (let i = 0; i < 1200 && !(tty.written.includes(`item=${visibleText(EVIL, { oneLine: true })}`) && tty.written.includes("$ : 'a\\u001b]0;TITLE")); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  writeFileSync(gate, '');
  const result = await run;
  await ink.done();
  t.equal(result.stats.localhost?.failed ?? 0, 0);
  t.match(tty.written, `item 1/2 done item=${visibleText(EVIL, { oneLine: true })}`, 'the live item label, visible');
  t.match(tty.written, "$ : 'a\\u001b]0;TITLE\\u0007b", 'the running command, visible');
  for (const seq of ['\x1b]0;', '\x1b[2J', '\x1b[10;1H', '\r', '\u009b', '\x07', '\x7f', '\u202e']) {
    t.notOk(tty.written.includes(seq), `${JSON.stringify(seq)} never reaches the terminal`);
  }
});
