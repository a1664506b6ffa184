import { defineModule, scriptInShell, shellQuote } from '../lib/module/kit.js';
import { commonCommandProperties, noCommandResult, planCommand, runCommand, type CommandArgs } from '../lib/module/run-command.js';

interface Args extends CommandArgs {
  cmd?: string;
  executable?: string;
}

export default defineModule<Args>({
  name: 'shell',
  description: 'Runs a command through a shell (/bin/sh unless `executable` says otherwise), so pipes, redirections and variables work. Skipped in check mode unless `creates`/`removes` decide it.',
  examples: [
    '- shell: etcdctl member list | grep -c started\n  register: started',
    '- shell: echo "$HOME" > /tmp/home\n  args:\n    creates: /tmp/home',
  ],
  freeForm: 'cmd',
  // plan() decides check mode itself: changed with creates/removes, skipped without.
  checkMode: 'plan',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      cmd: { type: 'string', description: "The shell command line. Without it the task fails with Ansible's 'no command given' and rc 256." },
      executable: { type: 'string', description: 'The shell to use, e.g. /bin/bash: one that knows `eval` and `$( )` (sh, bash, ksh, zsh), as the script reaches it on a here-document, not on its command line.' },
      ...commonCommandProperties,
    },
  },
  async plan(args, ctx) {
    if (args.cmd === undefined || args.cmd.trim() === '') return noCommandResult('no command given');
    return planCommand(args, ctx, args.cmd);
  },
  apply(args, ctx) {
    const cmd = args.cmd ?? '';
    // The script reaches the shell on a here-document, not on its command line, where `ps` would show it to every user.
    return runCommand(scriptInShell(args.executable ?? '/bin/sh', cmd, shellQuote), cmd, args, ctx);
  },
});
