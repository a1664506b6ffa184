import { defineModule, ModuleError } from '../lib/module/kit.js';
import { editEnv, editEnvList, getEnv } from '../lib/module/files/formats.js';
import { applyEdit, editProperties, fileRead, planEdit, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

type Scalar = string | number | boolean;

interface Args extends EditArgs {
  set?: Record<string, Scalar>;
  remove?: string[];
  add_items?: Record<string, Scalar[]>;
  remove_items?: Record<string, Scalar[]>;
  separator: string;
}

const KEY = '^[A-Za-z_][A-Za-z0-9_]*$';
const items = { type: 'object', propertyNames: { pattern: KEY }, additionalProperties: { type: 'array', items: { type: ['string', 'number'] } } };

/** The text after every edit the arguments ask for, in a fixed order: set, remove, add items, remove items. */
export function editEnvFile(text: string, args: Args): string {
  const set = Object.fromEntries(Object.entries(args.set ?? {}).map(([k, v]) => [k, String(v)]));
  let out = editEnv(text, set, args.remove ?? []);
  for (const [k, list] of Object.entries(args.add_items ?? {})) out = editEnvList(out, k, { add: list.map(String), sep: args.separator });
  for (const [k, list] of Object.entries(args.remove_items ?? {})) out = editEnvList(out, k, { remove: list.map(String), sep: args.separator });
  return out;
}

export default defineModule<Args, EditState>({
  name: 'env_file',
  description:
    'Edits a KEY=VALUE file such as /etc/etcd/etcd.conf or /etc/sysconfig/flanneld: sets, changes or removes keys, and adds or removes items of list-valued keys (ETCD_INITIAL_CLUSTER, FLANNEL_ETCD_ENDPOINTS). Comments, order, quoting style and every other byte stay as they were.',
  examples: [
    '- env_file:\n    path: /etc/etcd/etcd.conf\n    set:\n      ETCD_INITIAL_CLUSTER_STATE: existing',
    '- name: Drop the removed members\n  env_file:\n    path: /etc/etcd/etcd.conf\n    remove_items:\n      ETCD_INITIAL_CLUSTER: [master-1.example.com, master-2.example.com]',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file to edit.' },
      set: { type: 'object', propertyNames: { pattern: KEY }, additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'Keys to set to these values; a new key goes after its commented-out line (`#KEY=`) or at the end.' },
      remove: { type: 'array', items: { type: 'string', pattern: KEY }, description: 'Keys whose lines are removed.' },
      add_items: { ...items, description: 'Items to have in list-valued keys; an item `name=url` whose name is there replaces it in place.' },
      remove_items: { ...items, description: 'Items to drop from list-valued keys, matched whole or by name (the part before `=`).' },
      separator: { type: 'string', minLength: 1, default: ',', description: 'What separates list items.' },
      create: { type: 'boolean', default: false, description: 'Create the file when it does not exist.' },
      ...editProperties,
    },
  },
  reads: fileRead,
  plan(args, ctx) {
    if (!args.set && !args.remove && !args.add_items && !args.remove_items) throw new ModuleError('give at least one of set, remove, add_items, remove_items');
    const keys = [...Object.keys(args.set ?? {}), ...Object.keys(args.add_items ?? {}), ...Object.keys(args.remove_items ?? {})];
    return planEdit(args, ctx, (text) => editEnvFile(text, args), (after) => ({ values: Object.fromEntries(keys.map((k) => [k, getEnv(after, k) ?? null])) }));
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyEdit(args, ctx, plan) };
  },
});
