/**
 * The fixed script reader, run by the real dash and bash: the script runs
 * exactly as written, the command's own stdin follows it untouched, and a
 * stream cut short runs nothing. scriptInShell hands a script to another
 * shell without putting it on that shell's command line.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../lib/connection/quote.js';
import { frameScript, SCRIPT_READER, scriptInShell, scriptOverStdin } from '../../lib/connection/stdin-script.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-stdin-script-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function run(shell: string, line: string, stdin: Buffer): Promise<{ rc: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(shell, ['-c', line], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => {});
    child.on('close', (rc) => resolve({ rc, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.end(stdin);
  });
}

const SHELLS = ['/bin/sh', '/bin/bash'];

for (const shell of SHELLS) {
  t.test(`${shell}: the script runs as written and the command's stdin follows untouched`, async (t) => {
    const script = [
      'printf "%s|" "$X"',
      '  printf "%s|" "lead and trail  "',
      "printf '%s|' 'back\\slash' \"$(echo sub)\"",
      'cat <<EOF',
      'here $X',
      'EOF',
      '__tsplay_end_0000 is just a line',
      'x() { return 3; }; x; printf "rc=%s|" $?',
      'cat',
      'exit 7',
    ].join('\n');
    // Input that looks like frames and script lines: the reader must never take it.
    const input = Buffer.concat([Buffer.from(`${frameScript('echo forged').toString()}touch ${dir}/forged\n`), Buffer.from([0, 1, 2, 255, 10])]);
    const { line, stdin } = scriptOverStdin(`export X='a b';\n${script}`, input);
    t.equal(line, SCRIPT_READER, 'the command line is the fixed reader');
    t.notMatch(SCRIPT_READER, /'/, 'the reader has no single quote: the session shell holds it in one');
    const r = await run(shell, line, stdin);
    t.equal(r.rc, 7, "the script's exit status");
    const expected = Buffer.concat([Buffer.from('a b|lead and trail  |back\\slash|sub|here a b\nrc=3|'), input]);
    t.same(r.stdout, expected, "output as written, then the command's input byte for byte");
    t.equal(existsSync(join(dir, 'forged')), false, 'nothing in the input ran');
  });

  t.test(`${shell}: a stream cut short runs nothing`, async (t) => {
    const marker = join(dir, `cut-${shell.replace(/\W/g, '')}`);
    for (const whole of [false, true]) {
      const frame = frameScript(`touch ${marker}\necho done`, whole);
      // The last newline alone may go missing: the end word is whole, so is the script.
      for (const cut of [0, 10, frame.length - 2, frame.length - 5, ...(whole ? [] : [frame.length - 1])]) {
        const r = await run(shell, SCRIPT_READER, frame.subarray(0, cut));
        t.equal(r.rc, 97, `${whole ? 'whole' : 'line by line'}, cut at ${cut}: exit 97`);
      }
    }
    t.equal(existsSync(marker), false, 'the half script never ran');
  });

  t.test(`${shell}: a large script, with and without input after it`, async (t) => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `v${i % 10}=${i}`);
    const r = await run(shell, SCRIPT_READER, scriptOverStdin(`${lines.join('\n')}\necho "$v9"`, Buffer.alloc(0)).stdin);
    t.equal(r.stdout.toString(), '19999\n', 'without input: read whole');
    const withInput = await run(shell, SCRIPT_READER, scriptOverStdin(`${lines.slice(0, 500).join('\n')}\necho "$v9"; cat`, Buffer.from('in')).stdin);
    t.equal(withInput.stdout.toString(), '499\nin', 'with input: line by line');
  });
}

t.test('scriptInShell: the script reaches the other shell on a here-document, its stdin stays', async (t) => {
  const script = `[[ "$(cat)" == "the input" ]] && echo "bash read its stdin: $0"\nprintf '%s\\n' 'it''s' "\${BASH_VERSION:+bash}"`;
  const wrapped = scriptInShell('/bin/bash', script, shellQuote);
  t.notMatch(wrapped.split('\n')[0], /cat\)" == /, 'the first line, the one with the command, does not hold the script');
  const { line, stdin } = scriptOverStdin(wrapped, Buffer.from('the input'));
  const r = await run('/bin/sh', line, stdin);
  t.equal(r.rc, 0, r.stderr);
  t.equal(r.stdout.toString(), "bash read its stdin: /bin/bash\nits\nbash\n");
});
