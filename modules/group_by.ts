import { defineModule, TsplayError } from '../lib/module/kit.js';

interface Args {
  key?: string | number;
  parents?: string | string[];
}

/**
 * What the task asks for; the engine puts the host in the group
 * (lib/engine/dynamic-inventory.ts) and decides `changed` from what is new.
 */
export default defineModule<Args>({
  name: 'group_by',
  description:
    "Puts each host in a group named by a template (`key: etcd_{{ role }}`), created at run time, for the later plays of the run. Spaces in the names become '-'. Runs in check mode too. `changed` when the host joins the group, or a parent group or parent link is new.",
  examples: ['- group_by:\n    key: "etcd_{{ etcd_role }}"', '- group_by:\n    key: "os_{{ ansible_distribution }}"\n    parents: [linux]'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      key: { type: ['string', 'number'], description: 'Required: the name of the group to put the host in (templated per host).' },
      parents: {
        type: ['string', 'array'],
        items: { type: 'string' },
        default: ['all'],
        description: 'The parent group(s) of that group, created when missing.',
      },
    },
  },
  async plan(args, ctx) {
    if (args.key === undefined) {
      throw new TsplayError('validation', "the 'key' param is required when using group_by", { pos: ctx.task.pos, hint: 'name the group with key: (e.g. key: "etcd_{{ role }}")' });
    }
    const parents = typeof args.parents === 'string' ? [args.parents] : (args.parents ?? ['all']);
    return { changed: false, result: { add_group: String(args.key).replaceAll(' ', '-'), parent_groups: parents.map((p) => p.replaceAll(' ', '-')) } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
