/**
 * Another team's project, as they would build it: `npm pack` tsplay, install
 * the tarball into a scratch project (from the npm cache, offline when it
 * can), write a module in TypeScript with the kit, type-check it with
 * `skipLibCheck: false`, then run it through the API (runPlaybook with the
 * module and data), through the module tester, and through the CLI with the
 * module beside a playbook, also from a directory with no node_modules.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtDist } from '../helpers/build.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res) =>
    execFile(cmd, args, { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (e, out, err) =>
      res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }),
    ),
  );
}

const work = mkdtempSync(join(tmpdir(), 'tsplay-consumer-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

// 1. The package, packed as it would be published (built from these sources into a staging copy).
const stage = join(work, 'stage');
mkdirSync(stage);
// The run's test build (tsc, schemas, launcher: what `npm run build` makes), copied: the stage is this test's own.
cpSync(builtDist(), join(stage, 'dist'), { recursive: true });
for (const f of ['package.json', 'README.md', 'schema', 'playbooks', 'inventories', 'templates']) cpSync(join(REPO, f), join(stage, f), { recursive: true });
const pack = await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work], stage);
if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.err}`);
const tarball = join(work, pack.out.trim().split('\n').pop()!);

// 2. The consumer project.
const project = join(work, 'project');
mkdirSync(join(project, 'modules'), { recursive: true });
mkdirSync(join(project, 'src'));
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
let install = await sh('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], project);
if (install.code !== 0) install = await sh('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], project);
if (install.code !== 0) throw new Error(`npm install failed:\n${install.err}`);

writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      typeRoots: [join(REPO, 'node_modules/@types')],
      types: ['node'],
    },
    include: ['modules/*.ts', 'src/*.ts'],
  }),
);

writeFileSync(
  join(project, 'modules/greet.ts'),
  `import { defineModule, fileDiff, reads, FileError, type ApplyContext } from 'tsplay/module';

interface Args {
  path: string;
  name: string;
}

/** Writes "hello <name>" to a file: the kit's read, plan, diff and atomic write. */
export default defineModule<Args, string>({
  name: 'greet',
  description: 'Writes a greeting file.',
  examples: ['- greet: { path: /tmp/hello, name: world }'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'name'],
    properties: { path: { type: 'string' }, name: { type: 'string' } },
  },
  reads: (args) => [reads.file(args.path)],
  async plan(args, { host }) {
    const file = await host.read(args.path);
    const want = \`hello \${args.name}\\n\`;
    const before: string = file.exists ? (file.text ?? '') : '';
    if (before === want) return { changed: false, msg: 'already greeted' };
    return { changed: true, diff: [fileDiff(args.path, before, want)], state: want };
  },
  async apply(args, ctx: ApplyContext, plan) {
    try {
      const r = await ctx.host.write(args.path, plan.state!, { mode: 0o644, backup: true });
      return { changed: true, result: { backup: r.backup ?? null } };
    } catch (e) {
      if (e instanceof FileError && e.code === 'ENOENT') return { changed: false, failed: \`no directory for \${args.path}\` };
      throw e;
    }
  },
});
`,
);

writeFileSync(
  join(project, 'src/api.ts'),
  `import { runPlaybook, type RunResult } from 'tsplay';
import { testModule, type ModuleCase } from 'tsplay/testing';
import greet from '../modules/greet.js';

const [path, missing] = process.argv.slice(2);
const result: RunResult = await runPlaybook({
  modules: [greet],
  inventory: { all: { hosts: { box: { ansible_connection: 'local' } } } },
  playbook: {
    plays: [{ hosts: 'all', gather_facts: false, tasks: [{ greet: { path, name: 'api' } }, { greet: { path: missing, name: 'x' }, ignore_errors: true }, { greet: { path: missing, name: 'y' } }] }],
  },
});
const cases: ModuleCase[] = [
  {
    name: 'writes the greeting, then leaves it',
    files: { g: 'hi\\n' },
    args: { path: '{{ test_dir }}/g', name: 'x' },
    plan: { changed: true },
    diff: [{ path: 'g', before: 'hi\\n', after: 'hello x\\n' }],
    expect: { g: { content: 'hello x\\n', mode: 0o644 } },
  },
];
const reports = await testModule(greet, cases);
console.log(JSON.stringify({ exitCode: result.exitCode, stats: result.stats, failures: result.failures, tester: reports }));
`,
);

t.test('the consumer project type-checks with skipLibCheck: false', async (t) => {
  const r = await sh(process.execPath, [TSC, '-p', '.'], project);
  t.equal(r.code, 0, `tsc:\n${r.out}${r.err}`);
});

t.test('the module runs through the API, with the tester, from the installed package', async (t) => {
  const out = join(work, 'api-greeting');
  const r = await sh(process.execPath, ['src/api.js', out, join(work, 'no/such/dir/greeting')], project);
  t.equal(r.code, 0, r.err);
  const res = JSON.parse(r.out.trim().split('\n').pop()!);
  t.equal(res.exitCode, 2, 'the last task fails');
  t.match(res.stats, { box: { ok: 2, changed: 1, failed: 1, ignored: 1 } });
  t.same(
    res.failures.map((f: { task: string; msg: string }) => [f.task, f.msg]),
    [['greet', `no directory for ${join(work, 'no/such/dir/greeting')}`]],
    'the failure, not the ignored one',
  );
  t.same(res.tester, [{ name: 'writes the greeting, then leaves it', problems: [] }]);
  t.equal(readFileSync(out, 'utf8'), 'hello api\n');
});

t.test('the module runs through the CLI beside a playbook, in the project and anywhere else', async (t) => {
  const cli = join(project, 'node_modules/.bin/tsplay');
  const version = await sh(cli, ['--version'], project);
  t.same([version.code, version.out], [0, `tsplay ${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version}\n`], 'the installed command knows its version');
  // The launcher keeps NODE_EXTRA_CA_CERTS from tsplay's own start; the commands it runs see the operator's value.
  t.match(readFileSync(cli, 'utf8'), /^#!\/bin\/sh\n/, 'the installed command starts with its launcher line');
  const envPlay = join(work, 'env.yml');
  writeFileSync(
    envPlay,
    `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: sh -c 'echo "[\${NODE_EXTRA_CA_CERTS-unset}] [\${TSPLAY_NODE_EXTRA_CA_CERTS-unset}]"'\n      register: r\n    - debug: { msg: "{{ r.stdout }}" }\n`,
  );
  // A file that does not exist: had Node read it, it would warn "Ignoring extra certs from …".
  const missingCa = join(work, 'no-such-extra-ca.pem');
  for (const [value, seen] of [[missingCa, `[${missingCa}] [unset]`], ['', '[] [unset]'], [undefined, '[unset] [unset]']] as const) {
    const how = `NODE_EXTRA_CA_CERTS ${value === undefined ? 'unset' : JSON.stringify(value)}`;
    const run = (args: string[]) => (value === undefined ? sh('env', ['-u', 'NODE_EXTRA_CA_CERTS', cli, ...args], project) : sh(cli, args, project, { NODE_EXTRA_CA_CERTS: value }));
    const r = await run(['run', envPlay]);
    t.equal(r.code, 0, r.err);
    t.match(r.out, `"msg": "${seen}"`, `${how}: the command sees it as the operator set it`);
    t.notMatch(r.err, /extra certs/i, `${how}: tsplay itself never read it`);
    const v = await run(['--version']);
    t.same([v.code, v.err], [0, ''], `${how}: --version`);
  }
  const elsewhere = join(work, 'elsewhere');
  mkdirSync(join(elsewhere, 'modules'), { recursive: true });
  cpSync(join(project, 'modules/greet.js'), join(elsewhere, 'modules/greet.js'));
  for (const dir of [project, elsewhere]) {
    const target = join(dir, 'greeting');
    writeFileSync(join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - greet: { path: ${target}, name: cli }\n`);
    const first = await sh(cli, ['run', 'site.yml'], dir);
    t.equal(first.code, 0, first.out + first.err);
    t.match(first.out, /changed: \[localhost\]/);
    const again = await sh(cli, ['run', 'site.yml', '--check', '--diff'], dir);
    t.equal(again.code, 0);
    t.match(again.out, /localhost\s+: ok=1\s+changed=0/);
    t.equal(readFileSync(target, 'utf8'), 'hello cli\n');
  }
  const doc = await sh(cli, ['doc', 'greet'], project);
  t.match(doc.out, /Writes a greeting file/);
  // The run record and its schema come with the package: a record is written (and checked, TSPLAY_VALIDATE_EVENTS) and read back.
  t.ok(readFileSync(join(project, 'node_modules/tsplay/schema/events.schema.json'), 'utf8').includes('"run_start"'), 'the event schema is in the package');
  const logged = await sh(cli, ['run', 'site.yml', '--check', '--log', 'check.jsonl'], project);
  t.equal(logged.code, 0, logged.out + logged.err);
  const audit = await sh(cli, ['audit', 'check.jsonl'], project);
  t.equal(audit.code, 0, audit.out + audit.err);
  t.match(audit.out, /Check run: check\.jsonl/);
});
