import { defineModule, ModuleError } from '../lib/module/kit.js';

/** The text of Ansible's module failure, for `data=crash`. */
const MODULE_FAILURE = 'MODULE FAILURE\nSee stdout/stderr for the exact error';

export default defineModule<{ data: string }>({
  name: 'ping',
  description:
    "Ansible's ping: answers `ping: pong` (or `ping: <data>`) when the host can be reached and runs a command. Changes nothing. `data=crash` fails the task as Ansible's module does when it raises, to try out error handling.",
  examples: ['- ping:', '- ansible.builtin.ping:\n    data: hello', 'tsplay adhoc all -m ping'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { data: { type: 'string', default: 'pong', description: "What to answer with; 'crash' fails the task." } },
  },
  async plan(args, ctx) {
    // Proves the host runs a command, as Ansible's ping proves it runs Python.
    const r = await ctx.host.run(['true']);
    if (r.rc !== 0) throw new ModuleError(`the host could not run a command: ${r.stderr.trim() || `rc=${r.rc}`}`);
    if (args.data === 'crash') {
      throw new ModuleError(MODULE_FAILURE, { result: { module_stderr: 'Exception: boom\n', module_stdout: '', rc: 1, exception: 'Exception: boom' } });
    }
    return { changed: false, result: { ping: args.data } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
