import { defineModule, ModuleError } from '../lib/module/kit.js';
import { blockInFile, type Block } from '../lib/module/files/formats.js';
import { ansibleEditProperties, applyEdit, fileRead, planEdit, withAttrsMessage, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

type Args = EditArgs & Block;

export default defineModule<Args, EditState>({
  name: 'blockinfile',
  description: "Ansible's blockinfile: a block of lines between two marker lines (`# BEGIN ANSIBLE MANAGED BLOCK` / `# END ...`), inserted, replaced or removed.",
  examples: ['- blockinfile:\n    path: /etc/hosts\n    block: |\n      192.168.55.14 master-3.example.com'],
  aliases: { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file on the host.' },
      block: { type: 'string', default: '', description: 'The text between the markers (empty with state=present: the markers alone).' },
      marker: { type: 'string', default: '# {mark} ANSIBLE MANAGED BLOCK', description: 'The marker lines\' template; {mark} becomes marker_begin or marker_end.' },
      marker_begin: { type: 'string', default: 'BEGIN', description: 'What {mark} becomes in the first marker.' },
      marker_end: { type: 'string', default: 'END', description: 'What {mark} becomes in the last marker.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the block is there (replaced if it differs); absent: the block and its markers are removed.' },
      insertafter: { type: 'string', description: 'Where a new block goes: after the last line matching this regular expression, or EOF.' },
      insertbefore: { type: 'string', description: 'Where a new block goes: before the last line matching this regular expression, or BOF.' },
      create: { type: 'boolean', default: false, description: 'Create the file when it does not exist.' },
      ...ansibleEditProperties,
    },
  },
  reads: fileRead,
  async plan(args, ctx) {
    if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new ModuleError('insertafter and insertbefore are mutually exclusive');
    const plan = await planEdit(args, ctx, (text) => blockInFile(text, args), undefined, { missing: 'Path', diff: 'always' });
    // Ansible's words for what changed.
    const edited = !plan.state!.contentChanged ? '' : !plan.state!.existed ? 'File created' : args.state === 'absent' ? 'Block removed' : 'Block inserted';
    return { ...plan, result: { ...plan.result, msg: withAttrsMessage(edited, plan.state) } };
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyEdit(args, ctx, plan) };
  },
});
