/**
 * The guides, followed as another team would: tsplay packed as `npm pack`
 * makes it, an empty folder beside it, and every command and file of the guide
 * in order (docs/writing-a-module.md, docs/library.md). The files in the
 * guides are the example files (examples/), byte for byte.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { filesUnder, guideScript, markedBlocks, NPM_ENV, outputs, packTsplay, read, REPO, sh } from './guide.js';

const GUIDES = [
  { guide: 'README.md', example: 'examples/quick-start' },
  { guide: 'docs/writing-a-module.md', example: 'examples/module-guide' },
  { guide: 'docs/library.md', example: 'examples/library' },
];

for (const { guide, example } of GUIDES) {
  t.test(`${guide}: its files are the files of ${example}, all of them`, async (t) => {
    const files = markedBlocks(read(join(REPO, guide))).filter((b) => b.kind === 'file');
    t.same(files.map((b) => b.path).sort(), filesUnder(join(REPO, example)).sort(), 'every example file is in the guide');
    for (const b of files) t.equal(b.text, readFileSync(join(REPO, example, b.path!), 'utf8'), `${b.path} (${guide} line ${b.line})`);
  });
}

const work = mkdtempSync(join(tmpdir(), 'tsplay-guides-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
let tarball = '';
t.before(async () => {
  tarball = await packTsplay(work);
});

/** Runs a guide's commands and files in `work`, beside tsplay/; the output of each command. */
async function follow(t: Test, guide: string, env: Record<string, string> = {}): Promise<Map<string, string[]>> {
  const text = read(join(REPO, guide));
  t.match(text, `/tsplay/${basename(tarball)}`, 'the guide names the tarball npm pack writes');
  const script = join(work, `${basename(guide)}.sh`);
  writeFileSync(script, guideScript(markedBlocks(text)));
  const run = await sh('bash', [script], work, { ...NPM_ENV, ...env });
  t.equal(run.code, 0, "the guide's commands succeed");
  if (run.code !== 0) t.comment(run.out.slice(-6000));
  return outputs(run.out);
}

t.test('README.md: the two set-up commands, and the quick start without the lab', async (t) => {
  const readme = read(join(REPO, 'README.md'));
  const setup = readme.slice(readme.indexOf('## Set up'), readme.indexOf('## Quick start without the lab'));
  t.match(setup, /\nnpm ci && npm start +# the main job/, 'npm ci && npm start, first');
  t.match(setup, /\nnpm ci && npm test +# the test suite/, 'npm ci && npm test');
  const pkg = JSON.parse(read(join(REPO, 'package.json'))) as { scripts: Record<string, string> };
  t.equal(pkg.scripts.start, 'bash scripts/main-job.sh');
  t.equal(pkg.scripts.test, 'node scripts/test.mjs', 'npm test: the build once, then tap (README.md, Tests)');

  // Installed globally as the README says, into a prefix of the test's own.
  const prefix = join(work, 'global');
  const out = await follow(t, 'README.md', { npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` });
  const [check] = out.get('tsplay run hello.yml -i localhost, -c local --check --diff') ?? [''];
  const [first, again] = out.get('tsplay run hello.yml -i localhost, -c local') ?? ['', ''];
  t.match(check, /\+Hello from localhost/, 'the dry run shows the file');
  t.match(check, /TASK \[Read it back\] \*+\nskipping: \[localhost\]/);
  t.match(check, /localhost\s+: ok=3\s+changed=2\s+unreachable=0\s+failed=0\s+skipped=1/);
  t.match(first, /"hello\.stdout": "Hello from localhost"/);
  t.match(first, /localhost\s+: ok=4\s+changed=2/);
  t.match(again, /localhost\s+: ok=4\s+changed=0/);
  t.equal(read(join(work, 'hello/out/hello.txt')), 'Hello from localhost\n');
});

t.test('docs/writing-a-module.md, from an empty folder', async (t) => {
  const out = await follow(t, 'docs/writing-a-module.md');
  const test = out.get('npm test')?.[0] ?? '';
  t.match(test, /ℹ pass 7\n/, 'the tester table passes: 7 cases');
  t.match(test, /ℹ fail 0\n/);
  t.match(test, /✔ ensure_line: adds the line at the end, keeping the mode/);

  const [check] = out.get('npx tsplay run site.yml -i localhost, -c local --check --diff') ?? [''];
  const [first, again] = out.get('npx tsplay run site.yml -i localhost, -c local') ?? ['', ''];
  t.match(check, /\+managed by tsplay/, 'the dry run shows the diff');
  t.match(check, /"result\.msg": "would be added"/);
  t.match(check, /localhost\s+: ok=2\s+changed=1/);
  t.match(first, /changed: \[localhost\]/);
  t.match(first, /"result\.msg": "line added"/);
  t.match(again, /localhost\s+: ok=2\s+changed=0/, 'the third run changes nothing');
  t.equal(read(join(work, 'ensure-line/demo.txt')), 'managed by tsplay\n');

  const doc = out.get('npx tsplay doc ensure_line')?.[0] ?? '';
  t.match(doc, /> ENSURE_LINE/);
  t.match(doc, /state \(one of present\|absent; default: "present"\)/);
  t.match(doc, /CHECK MODE:\n {2}Supported: in check mode only plan\(\) runs/);
});

t.test('docs/library.md, from an empty folder', async (t) => {
  const out = await follow(t, 'docs/library.md');
  const [first, second] = out.get('node src/deploy.js "$PWD"') ?? ['', ''];
  const file = join(work, 'deploy/release.txt');
  t.match(first, `dry run: exit 0, would change box: ${file}\n`);
  t.match(first, /TASK \[Stamp the release\] \*+\nchanged: \[box\]/);
  t.match(first, /PLAY RECAP \*+\nbox\s+: ok=2\s+changed=1\s+unreachable=0\s+failed=0/);
  t.match(first, 'box: 1 changed, 0 failed\n');
  t.match(first, /refused \(exit code 4\): couldn't resolve module\/action 'no_such_module'/);
  t.match(second, 'dry run: exit 0, would change nothing\n');
  t.match(second, 'box: 0 changed, 0 failed\n');
  t.equal(read(file), 'release 42\n');
  // What the guide shows as the first run's output is what it prints (paths aside).
  const shown = /The first run prints\n\n```\n([\s\S]*?)```/.exec(read(join(REPO, 'docs/library.md')))![1];
  const norm = (line: string) => line.replace(/\/\S*\/deploy\//g, '/…/deploy/').replace(/\. (…|\S.*)$/, '.').trimEnd();
  const printed = new Set(first.split('\n').map(norm));
  for (const line of shown.split('\n').filter((l) => l.trim())) t.ok(printed.has(norm(line)), `prints: ${line.trimEnd()}`);
});
