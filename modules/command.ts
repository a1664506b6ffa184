import { defineModule, shellQuote, shlexSplit } from '../lib/module/kit.js';
import { commonCommandProperties, planCommand, runCommand, type CommandArgs } from '../lib/module/run-command.js';

interface Args extends CommandArgs {
  cmd?: string;
  argv?: string[];
}

/** The words to run, quoted one by one so no shell ever interprets them, as Ansible's command promises. */
function words(args: Args): string[] {
  return args.argv ?? shlexSplit(args.cmd ?? '', { comments: false }).map((t) => t.value);
}

export default defineModule<Args>({
  name: 'command',
  description: 'Runs a command on the host without a shell: no pipes, redirections or variable expansion. Skipped in check mode unless `creates`/`removes` decide it.',
  examples: [
    '- name: Show the etcd members\n  command: etcdctl member list',
    '- command:\n    argv: [systemctl, restart, etcd]',
    '- command: /usr/local/bin/init.sh\n  args:\n    creates: /var/lib/app/.initialised',
  ],
  freeForm: 'cmd',
  // plan() decides check mode itself: changed with creates/removes, skipped without.
  checkMode: 'plan',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      cmd: { type: 'string', description: 'The command line, split into words like a shell would (quotes respected).' },
      argv: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'The command as a list of words.' },
      ...commonCommandProperties,
    },
    oneOf: [{ required: ['cmd'] }, { required: ['argv'] }],
  },
  async plan(args, ctx) {
    const argv = words(args);
    if (argv.length === 0) return { changed: false, failed: 'no command given' };
    return planCommand(args, ctx, argv);
  },
  async apply(args, ctx) {
    const argv = words(args);
    return runCommand(argv.map(shellQuote).join(' '), argv, args, ctx);
  },
});
