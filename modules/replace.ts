import { defineModule, type PlanContext } from '../lib/module/kit.js';
import { pyRegex } from '../lib/module/files/py-regex.js';
import { replaceText } from '../lib/module/files/formats.js';
import { ansibleEditProperties, applyEdit, fileRead, planEdit, withAttrsMessage, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

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
      ...ansibleEditProperties,
    },
  },
  reads: fileRead,
  async plan(args, ctx) {
    const unmatched = await unmatchedSection(args, ctx);
    if (unmatched) return { changed: false, result: { path: args.path, rc: 0, msg: `Pattern for before/after params did not match the given file: ${unmatched}` } };
    let count = 0;
    const plan = await planEdit(args, ctx, (text) => {
      const r = replaceText(text, args);
      count = r.count;
      return r.text;
    }, () => ({ rc: 0, msg: '' }), { missing: 'Path', diff: 'changed' });
    // Ansible's words: replacements that changed the text, then the attributes set.
    const edited = plan.state!.contentChanged ? `${count} replacements made` : '';
    return { ...plan, result: { ...plan.result, msg: withAttrsMessage(edited, plan.state) } };
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyEdit(args, ctx, plan) };
  },
});

/**
 * Ansible's section pattern for `after`/`before` when it finds nothing in the
 * file (Ansible then reports ok with a message naming it), else undefined.
 */
async function unmatchedSection(args: Args, ctx: PlanContext): Promise<string | undefined> {
  if (!args.after && !args.before) return undefined;
  const file = await ctx.host.read(args.path);
  if (file.text === null) return undefined;
  const pattern = args.after && args.before ? `${args.after}(?P<subsection>.*?)${args.before}` : args.after ? `${args.after}(?P<subsection>.*)` : `(?P<subsection>.*)${args.before}`;
  const probe = args.after && args.before ? `${args.after}.*?${args.before}` : args.after ? args.after : args.before!;
  try {
    return pyRegex(`(?s)${probe}`).test(file.text) ? undefined : pattern;
  } catch {
    return undefined; // a bad expression is the editor's to report
  }
}
