import { defineModule, isTsplayError, isUnsafeText, renderVar } from '../lib/module/kit.js';

interface Args {
  msg?: unknown;
  var?: string;
  verbosity: number;
}

export default defineModule<Args>({
  name: 'debug',
  description: 'Prints a message or the value of a variable. Changes nothing, so it also runs in check mode.',
  examples: ['- debug: msg="etcd leader is {{ leader }}"', '- debug: var=result.stdout_lines', '- debug:\n    var: groups.etcd\n    verbosity: 1'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      msg: { description: 'The message to print (any value).' },
      var: { type: 'string', description: 'A variable name or expression whose value is printed.' },
      verbosity: { type: 'integer', default: 0, minimum: 0, description: 'Print only at this -v level or higher.' },
    },
    not: { required: ['msg', 'var'] },
  },
  async plan(args, ctx) {
    const verbosity = Number(ctx.vars.ansible_verbosity ?? 0);
    if (args.verbosity > verbosity) return { changed: false, skipped: 'verbosity threshold not met' };
    if (args.var !== undefined) {
      let value: unknown;
      if (isUnsafeText(args.var)) {
        // A name that came from data (`var: "{{ host_output }}"`) is never rendered: Ansible prints it wrapped, as text.
        return { changed: false, result: { [args.var]: `{{${args.var}}}`, _ansible_verbose_always: true } };
      }
      try {
        value = renderVar(args.var, ctx.vars);
      } catch (e) {
        if (!isTsplayError(e) || e.kind !== 'template' || !/undefined/.test(e.message)) throw e;
        value = 'VARIABLE IS NOT DEFINED!';
      }
      return { changed: false, result: { [args.var]: value, _ansible_verbose_always: true } };
    }
    return { changed: false, result: { msg: args.msg ?? 'Hello world!', _ansible_verbose_always: true } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
