import { defineModule, fileDiff, reads } from 'tsplay/module';

interface Args {
  path: string;
  line: string;
  state: 'present' | 'absent';
  create: boolean;
  backup: boolean;
}

export default defineModule<Args, string>({
  name: 'ensure_line',
  description: 'Makes sure a file holds a line (state: present, added at the end) or holds it nowhere (state: absent). Every other line stays as it was.',
  examples: [
    '- ensure_line:\n    path: /etc/motd\n    line: managed by tsplay',
    '- ensure_line: { path: /etc/hosts.allow, line: "sshd: ALL", state: absent, backup: true }',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'line'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file on the host.' },
      line: { type: 'string', pattern: '^[^\\n]*$', description: 'The whole line, without its newline.' },
      state: { enum: ['present', 'absent'], default: 'present' },
      create: { type: 'boolean', default: false, description: 'Create the file when it is missing (state: present).' },
      backup: { type: 'boolean', default: false, description: 'Keep the old file as <path>.<pid>.<date>~.' },
    },
  },

  // What plan() reads: all of it in one round trip, with the task's become.
  reads: (args) => [reads.file(args.path)],

  // Read-only: looks at the host and says what would change. --check runs only this.
  async plan(args, { host, check }) {
    const file = await host.read(args.path);
    if (!file.exists && args.state === 'present' && !args.create) {
      return { changed: false, failed: `${args.path} does not exist (create: true creates it)` };
    }
    const before = file.text ?? '';
    const lines = before === '' ? [] : before.replace(/\n$/, '').split('\n');
    const found = lines.includes(args.line);
    if (found === (args.state === 'present')) return { changed: false, msg: `the line is ${args.state}` };

    const kept = args.state === 'present' ? [...lines, args.line] : lines.filter((l) => l !== args.line);
    const after = kept.length ? kept.join('\n') + '\n' : '';
    const msg = `${check ? 'would be' : 'line'} ${args.state === 'present' ? 'added' : 'removed'}`;
    // The diff names the file: the engine checks that apply() writes exactly it.
    return { changed: true, msg, diff: [fileDiff(args.path, before, after)], state: after };
  },

  // Makes the change plan() predicted; runs only when it said changed, and never under --check.
  async apply(args, { host }, plan) {
    const written = await host.write(args.path, plan.state!, { backup: args.backup });
    return { changed: true, msg: plan.msg, result: { backup_file: written.backup ?? null } };
  },
});
