import { defineModule } from '../lib/module/kit.js';
import { replaceText } from '../lib/module/files/formats.js';
import { applyEdit, editProperties, fileRead, planEdit, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

interface Args extends EditArgs {
  regexp: string;
  replace: string;
  after?: string;
  before?: string;
}

export default defineModule<Args, EditState>({
  name: 'replace',
  description: "Ansible's replace: every match of a Python regular expression (multiline) replaced, optionally only between `after` and `before`; \\1 and \\g<name> in the replacement.",
  examples: ["- replace:\n    path: /etc/origin/master/master-config.yaml\n    regexp: 'master-2\\.example\\.com'\n    replace: master-3.example.com"],
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'regexp'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file on the host.' },
      regexp: { type: 'string', minLength: 1, description: 'A Python regular expression (multiline), replaced wherever it matches.' },
      replace: { type: 'string', default: '', description: 'The replacement; \\1 and \\g<name> refer to groups.' },
      after: { type: 'string', description: 'Only replace after the first match of this regular expression.' },
      before: { type: 'string', description: 'Only replace before the first match of this regular expression.' },
      ...editProperties,
    },
  },
  reads: fileRead,
  plan(args, ctx) {
    let count = 0;
    return planEdit(args, ctx, (text) => {
      const r = replaceText(text, args);
      count = r.count;
      return r.text;
    }, () => ({ msg: count ? `${count} replacements made` : '' }));
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyEdit(args, ctx, plan) };
  },
});
