import { defineModule, evaluateCondition } from '../lib/module/kit.js';

interface Args {
  that: unknown;
  fail_msg?: unknown;
  msg?: unknown;
  success_msg?: unknown;
  quiet: boolean;
}

export default defineModule<Args>({
  name: 'assert',
  description: 'Fails the host unless every condition in `that` holds (the same expression language as `when`).',
  examples: ["- assert:\n    that:\n      - members | length == 3\n      - \"'etcd' in group_names\"\n    fail_msg: etcd does not have three members"],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['that'],
    properties: {
      that: { anyOf: [{ type: ['string', 'boolean'] }, { type: 'array', items: { type: ['string', 'boolean'] } }], description: 'Conditions that must all hold.' },
      fail_msg: { description: 'Message when a condition fails.' },
      msg: { description: 'Same as fail_msg.' },
      success_msg: { description: 'Message when all hold.' },
      quiet: { type: 'boolean', default: false, description: 'Print less.' },
    },
  },
  async plan(args, ctx) {
    const conditions = Array.isArray(args.that) ? args.that : [args.that];
    // As Ansible's assert: the result is shown without -v unless quiet.
    const shown = args.quiet ? {} : { _ansible_verbose_always: true };
    for (const c of conditions) {
      if (!evaluateCondition(c, ctx.vars)) {
        const msg = args.fail_msg ?? args.msg ?? 'Assertion failed';
        return { changed: false, failed: String(msg), result: { assertion: c, evaluated_to: false, msg, ...shown } };
      }
    }
    const msg = args.success_msg ?? 'All assertions passed';
    return { changed: false, msg: String(msg), result: { msg, ...shown } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, failed: plan.failed, result: plan.result };
  },
});
