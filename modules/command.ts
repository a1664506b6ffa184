import { defineModule, shlexSplit } from '../lib/module/kit.js';
import { chdirFailureResult, exactExecLine, execFailureResult, launchFailure } from '../lib/module/exact-exec.js';
import { commonCommandProperties, noCommandResult, planCommand, runCommand, type CommandArgs } from '../lib/module/run-command.js';

interface Args extends CommandArgs {
  cmd?: string;
  argv?: string[];
  executable?: string;
}

/** The words to run: exactExecLine passes each as data, so no shell ever interprets them. */
function words(args: Args): string[] {
  return args.argv ?? shlexSplit(args.cmd ?? '', { comments: false }).map((t) => t.value);
}

export default defineModule<Args>({
  name: 'command',
  description: 'Runs exactly the program named by the first word, without a shell: no pipes, redirections, globs or builtins; $VAR and ~ in the words are expanded on the host, as in Ansible. Skipped in check mode unless `creates`/`removes` decide it.',
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
      cmd: { type: 'string', description: "The command line, split into words like a shell would (quotes respected). Give it or `argv`, not both; with neither the task fails with Ansible's 'no command given' and rc 256." },
      argv: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'The command as a list of words.' },
      ...commonCommandProperties,
      executable: { type: 'string', description: "Ignored, with a warning, as Ansible ignores it for command: use the shell module to choose a shell." },
    },
  },
  async plan(args, ctx) {
    // Ansible checks these in the module, even in check mode, and reports rc 256 with the empty command result.
    if (args.cmd !== undefined && args.cmd.trim() !== '' && args.argv !== undefined) return noCommandResult('only command or argv can be given, not both');
    const argv = words(args);
    if (argv.length === 0) return noCommandResult('no command given');
    if (args.executable !== undefined) {
      ctx.warn(`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${args.executable}'.`);
    }
    return planCommand(args, ctx, argv);
  },
  async apply(args, ctx) {
    const argv = words(args);
    // The launcher enters chdir itself, so a missing directory reads as Ansible reports it.
    const run = await runCommand(exactExecLine(argv, args.chdir), argv, { ...args, chdir: undefined }, ctx);
    const failure = run.result.rc === 127 || run.result.rc === 126 ? launchFailure(run.result.stderr) : undefined;
    if (failure === undefined) return run;
    // The program could not be executed at all: Ansible reports the OS error, and nothing changed.
    const result = failure.chdir ? chdirFailureResult(failure.errno, argv, args.chdir ?? '') : execFailureResult(failure.errno, argv);
    return { changed: false, failed: result.msg as string, msg: result.msg as string, result };
  },
});
