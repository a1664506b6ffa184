/**
 * Property tests (fast-check) for the three guarantees, with hostile and
 * random input: `command` passes every word as data and runs nothing else;
 * text marked unsafe is never rendered, however it is copied or filtered;
 * censoring and masking leave nothing of what they hide. A seed that once
 * failed is added to `examples` and stays.
 */
import t from 'tap';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactExecLine, execFailure } from '../../lib/module/exact-exec.js';
import { markUnsafe, renderValue } from '../../lib/template/index.js';
import { censorEvent, CENSORED_MESSAGE, maskText, registerSecret } from '../../lib/output/censor.js';

/** Characters a shell would act on, and some it would not. */
const hostileChar = fc.constantFrom(...'abcXYZ019 \t\n\'"\\`$(){}[]*?~;&|<>#=!%^-_./,:@+'.split(''));
const word = fc.array(hostileChar, { maxLength: 12 }).map((cs) => cs.join(''));

/** Where an injected command would leave its mark: the tests check it never appears. */
const markDir = mkdtempSync(join(tmpdir(), 'tsplay-prop-'));
t.teardown(() => rmSync(markDir, { recursive: true, force: true }));
const MARK = join(markDir, 'pwned');
/** Words that run `touch MARK` if any shell ever reads them as code. */
const injection = fc.constantFrom(`$(touch ${MARK})`, `\`touch ${MARK}\``, `; touch ${MARK}`, `a && touch ${MARK}`, `| touch ${MARK}`, `\ntouch ${MARK}\n`, `$(touch\t${MARK})`);
const wordOrInjection = fc.oneof(word, injection);
/** No file in markDir: neither MARK nor one a mangled `touch` made there. */
const nothingRan = () => !existsSync(MARK) && readdirSync(markDir).length === 0;

const HOME = '/home/tsplay-prop';
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME, X: 'a b;$(id)' };

/** Python's os.path.expandvars then os.path.expanduser, as Ansible's command applies them. */
function ansibleExpand(w: string): string {
  const e = w.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const n = name.startsWith('{') ? name.slice(1, -1) : name;
    return Object.hasOwn(env, n) ? env[n as keyof typeof env] : m;
  });
  return e === '~' || e.startsWith('~/') ? HOME + e.slice(1) : e;
}

function run(line: string) {
  // In markDir: a relative `touch` run by mistake leaves its file there too.
  return spawnSync('/bin/sh', ['-c', line], { cwd: markDir, env, encoding: 'utf8', timeout: 10_000 });
}

t.test('command: every word reaches the program exactly, expanded only as Ansible expands', async (t) => {
  // `~user` needs a real user to compare with; the first character after a leading ~ is a slash or nothing.
  const arg = wordOrInjection.filter((w) => !/^~[^/]/.test(w));
  fc.assert(
    fc.property(fc.array(arg, { maxLength: 6 }), (words) => {
      const r = run(exactExecLine(['printf', '%s\\0', ...words]));
      const got = r.stdout.split('\0').slice(0, -1);
      const want = words.length ? words.map(ansibleExpand) : [''];
      return r.status === 0 && JSON.stringify(got) === JSON.stringify(want) && nothingRan();
    }),
    { numRuns: 150, examples: [[['$(id)', '`id`', 'a;b', '${X}', '$X$X', '~', '~/x', "'", '"', '\\', '*', '', `$(touch ${MARK})`, `; touch ${MARK}`]]] },
  );
  t.ok(nothingRan(), 'no injected command ran: its file does not exist');
});

t.test('command: a first word that is no program runs nothing, whatever it contains', async (t) => {
  fc.assert(
    fc.property(wordOrInjection, fc.array(wordOrInjection, { maxLength: 3 }), (w, rest) => {
      const first = `tsplay-no-such-${w.replace(/\//g, '')}`;
      const r = run(exactExecLine([first, ...rest]));
      return r.status === 127 && r.stdout === '' && execFailure(r.stderr) === 2 && nothingRan();
    }),
    { numRuns: 150, examples: [[`$(touch ${MARK})`, [`; touch ${MARK}`]]] },
  );
  t.ok(nothingRan(), 'nothing ran for 150 hostile program names: the injected file does not exist');
});

/** Template text an attacker might return: expressions and blocks reaching for a secret. */
const hostileTemplate = fc
  .array(fc.oneof(fc.constantFrom('{{ secret }}', '{{ hostvars }}', '{% if true %}{{ secret }}{% endif %}', '{{', '}}', '{%', '%}', "{{ '{{' }}"), word), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

t.test('unsafe text is never rendered: copied, filtered, looped or nested', async (t) => {
  fc.assert(
    fc.property(hostileTemplate, (text) => {
      const result = markUnsafe({ stdout: text, stdout_lines: text.split('\n'), nested: { list: [text] } });
      const vars = { r: result, secret: 'SECRETVALUE', copy: '{{ r.stdout }}', list: '{{ r.stdout_lines | map("trim") | list }}' };
      const outputs = [
        renderValue('{{ r.stdout }}', vars),
        renderValue('{{ copy }}', vars),
        renderValue('x {{ r.stdout }} y', vars),
        renderValue('{{ r.nested.list[0] }}', vars),
        renderValue('{{ r.nested }}', vars),
        renderValue('{{ list }}', vars),
        renderValue('{{ r.stdout_lines | map("upper") | list }}', vars),
        renderValue('{{ [r.stdout] + r.nested.list }}', vars),
        // A filter's new string (trimmed) taken back out of the list it built.
        renderValue('{{ list[0] }}', vars),
        renderValue('{{ (r.stdout_lines | map("trim") | list)[0] }}', vars),
      ];
      return !JSON.stringify(outputs).includes('SECRETVALUE') && renderValue('{{ r.stdout }}', vars) === text;
    }),
    { numRuns: 300, examples: [['{{ secret }}a\t']] },
  );
  t.pass('300 hostile results stayed text');
});

// Text the censored event always holds; a secret inside it would (rightly) be masked there too.
const FIXED_TEXT = `${CENSORED_MESSAGE} None censored changed attempts retries host_result ok h`;

t.test('a censored result keeps only what Ansible keeps; a secret is masked wherever it is', async (t) => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string({ minLength: 1 }), fc.string({ minLength: 4 }).filter((s) => !s.includes('*') && !FIXED_TEXT.includes(s)), (result, item, secret) => {
      const e = censorEvent({ type: 'host_result', host: 'h', status: 'ok', item, result, verbose: true, noLog: true });
      if (e.type !== 'host_result') return false;
      const keys = Object.keys(e.result);
      const allowed = keys.every((k) => ['censored', 'changed', 'attempts', 'retries'].includes(k));
      registerSecret(secret);
      const masked = maskText(`before ${secret} middle ${secret}${secret} after`);
      return allowed && e.result.censored === CENSORED_MESSAGE && e.item === 'None' && !masked.includes(secret) && !e.verbose;
    }),
    { numRuns: 300 },
  );
  t.pass('300 random results and secrets');
});
