/**
 * --ask-pass prompts: from a pipe one line per question; on a terminal, no echo.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/sshd.js';

const promptModule = fileURLToPath(new URL('../../lib/connection/prompt.ts', import.meta.url));
const dir = tempDir('prompt');
const script = join(dir, 'ask.mts');
writeFileSync(
  script,
  `import { promptHidden } from ${JSON.stringify(promptModule.replace(/\.ts$/, '.js'))};
const a = await promptHidden('SSH password: ');
const b = await promptHidden('BECOME password: ');
process.stdout.write(JSON.stringify([a, b]) + '\\n');
`,
);
// The same loader tap uses, so the TypeScript source runs as is.
const loader = ['--import', '@tapjs/typescript/import'];

t.test('from a pipe: one line per question', async (t) => {
  const r = spawnSync(process.execPath, [...loader, script], { input: 'first secret\nsecond\nleftover\n', encoding: 'utf8', cwd: process.cwd() });
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.trim(), JSON.stringify(['first secret', 'second']));
  t.match(r.stderr, /SSH password: /);
});

t.test('on a terminal: the password is not echoed', async (t) => {
  // script(1) gives the child a real pty; answers are typed once each prompt shows.
  const cmd = [process.execPath, ...loader, script].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const typed = new Set<string>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('SSH password: ') && !typed.has('a')) {
      typed.add('a');
      child.stdin.write('tty-secret\r');
    }
    if (out.includes('BECOME password: ') && !typed.has('b')) {
      typed.add('b');
      child.stdin.write('sec\u007fcond\r'); // with a backspace
    }
  });
  const code = await new Promise((r) => child.on('exit', r));
  child.stdin.end();
  t.equal(code, 0, out);
  t.match(out, JSON.stringify(['tty-secret', 'second']));
  const before = out.slice(0, out.indexOf('['));
  t.notMatch(before, 'tty-secret', 'the answer was not echoed');
});
