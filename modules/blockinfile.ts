import { defineModule, ModuleError } from '../lib/module/kit.js';
import { blockInFile, type Block } from '../lib/module/files/formats.js';
import { applyEdit, editProperties, fileRead, planEdit, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

type Args = EditArgs & Block;

export default defineModule<Args, EditState>({
  name: 'blockinfile',
  description: "Ansible's blockinfile: a block of lines between two marker lines (`# BEGIN ANSIBLE MANAGED BLOCK` / `# END ...`), inserted, replaced or removed.",
  examples: ['- blockinfile:\n    path: /etc/hosts\n    block: |\n      192.168.55.14 master-3.example.com'],
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1 },
      block: { type: 'string', default: '' },
      marker: { type: 'string', default: '# {mark} ANSIBLE MANAGED BLOCK' },
      marker_begin: { type: 'string', default: 'BEGIN' },
      marker_end: { type: 'string', default: 'END' },
      state: { enum: ['present', 'absent'], default: 'present' },
      insertafter: { type: 'string' },
      insertbefore: { type: 'string' },
      create: { type: 'boolean', default: false },
      ...editProperties,
    },
  },
  reads: fileRead,
  plan(args, ctx) {
    if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new ModuleError('insertafter and insertbefore are mutually exclusive');
    return planEdit(args, ctx, (text) => blockInFile(text, args));
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyEdit(args, ctx, plan) };
  },
});
