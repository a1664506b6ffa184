import { defineModule, ModuleError } from '../lib/module/kit.js';
import { addYamlItems, getYaml, removeYamlItems, setYaml } from '../lib/module/files/formats.js';
import { applyEdit, editProperties, fileRead, planEdit, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

interface Args extends EditArgs {
  key: string;
  value?: unknown;
  add_items?: unknown[];
  remove_items?: unknown[];
}

export default defineModule<Args, EditState>({
  name: 'yaml_edit',
  description:
    "Changes one value, or the items of one list, in a YAML file by key path (`etcdClientInfo.urls`; a number picks a list item), keeping comments and layout everywhere else: the edit is spliced into the original text, not re-serialised.",
  examples: [
    '- name: Drop the removed etcd hosts from the masters\' client list\n  yaml_edit:\n    path: /etc/origin/master/master-config.yaml\n    key: etcdClientInfo.urls\n    remove_items:\n      - https://master-1.example.com:2379',
    '- yaml_edit:\n    path: /etc/origin/master/master-config.yaml\n    key: servingInfo.maxRequestsInFlight\n    value: 1000',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'key'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The YAML file.' },
      key: { type: 'string', minLength: 1, description: 'Dotted key path; missing keys are created at the end of the deepest existing mapping.' },
      value: { description: 'The value to set (any YAML value).' },
      add_items: { type: 'array', description: 'Items to append to the list when missing (the list is created when absent).' },
      remove_items: { type: 'array', description: 'Items to remove from the list.' },
      create: { type: 'boolean', default: false, description: 'Create the file when it does not exist.' },
      ...editProperties,
    },
  },
  reads: fileRead,
  plan(args, ctx) {
    const given = ['value', 'add_items', 'remove_items'].filter((k) => (args as unknown as Record<string, unknown>)[k] !== undefined);
    if (given.length !== 1) throw new ModuleError(`give exactly one of value, add_items, remove_items${given.length ? ` (got ${given.join(', ')})` : ''}`);
    return planEdit(
      args,
      ctx,
      (text) => {
        if (args.value !== undefined) return setYaml(text, args.key, args.value);
        if (args.add_items) return addYamlItems(text, args.key, args.add_items);
        if (args.remove_items) return removeYamlItems(text, args.key, args.remove_items);
        throw new ModuleError('give one of value, add_items, remove_items');
      },
      (after) => ({ key: args.key, value: getYaml(after, args.key) ?? null }),
    );
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyEdit(args, ctx, plan) };
  },
});
