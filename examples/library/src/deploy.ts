import { defineModule, plainReporter, runPlaybook, TsplayError, type RunEvent, type RunResult } from 'tsplay';

// A module of this program, registered for its runs: no file, no modules/ folder.
const stamp = defineModule<{ path: string; text: string }, string>({
  name: 'stamp',
  description: 'Writes one line of text to a file.',
  examples: ['- stamp: { path: /etc/deployed, text: "release 42" }'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'text'],
    properties: { path: { type: 'string' }, text: { type: 'string' } },
  },
  async plan(args, { host }) {
    const before = (await host.read(args.path)).text ?? '';
    const after = `${args.text}\n`;
    if (before === after) return { changed: false };
    return { changed: true, diff: [{ label: args.path, path: args.path, before, after }], state: after };
  },
  async apply(args, { host }, plan) {
    await host.write(args.path, plan.state!);
    return { changed: true };
  },
});

const dir = process.argv[2] ?? process.cwd();

// The inventory and the playbook as data (file paths work too: inventory: ['hosts'], playbooks: ['site.yml']).
const inventory = { all: { hosts: { box: { ansible_connection: 'local' } }, vars: { release: 42 } } };
const playbook = {
  plays: [
    {
      name: 'Deploy',
      hosts: 'all',
      gather_facts: false,
      tasks: [
        { name: 'Stamp the release', stamp: { path: `${dir}/release.txt`, text: 'release {{ release }}' } },
        { name: 'Read it back', command: `cat ${dir}/release.txt`, register: 'stamped', changed_when: false },
      ],
    },
  ],
};

// 1. A dry run (--check): what would change, host by host, from the events.
const planned: string[] = [];
const onEvent = (e: RunEvent) => {
  if (e.type === 'host_result' && e.status === 'changed') planned.push(`${e.host}: ${(e.diff ?? []).map((d) => d.path).join(', ')}`);
};
const dry = await runPlaybook({ inventory, playbook, modules: [stamp], check: true, reporters: [onEvent] });
console.log(`dry run: exit ${dry.exitCode}, would change ${planned.length ? planned.join('; ') : 'nothing'}`);

// 2. The real run, printed as ansible-playbook prints it.
const write = (s: string) => void process.stdout.write(s);
const real: RunResult = await runPlaybook({ inventory, playbook, modules: [stamp], reporters: [plainReporter({ write, verbosity: 0, diff: false, color: false })] });
for (const [host, s] of Object.entries(real.stats)) console.log(`${host}: ${s.changed} changed, ${s.failed} failed`);
for (const f of real.failures) console.log(`FAILED ${f.host} ${f.task}: ${f.msg}`);
for (const w of real.warnings) console.log(`warning: ${w}`);

// 3. A playbook that cannot run is refused before any host is touched: a TsplayError, not a result.
try {
  await runPlaybook({ inventory, playbook: { plays: [{ hosts: 'all', tasks: [{ no_such_module: {} }] }] } });
} catch (e) {
  if (!(e instanceof TsplayError)) throw e;
  console.log(`refused (exit code ${e.exitCode}): ${e.message}`);
}

process.exitCode = real.exitCode;
