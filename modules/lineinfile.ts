import { defineModule, ModuleError } from '../lib/module/kit.js';
import { lineBreakWarning, lineInFile, type LineInFile } from '../lib/module/files/formats.js';
import { ansibleEditProperties, applyEdit, fileRead, planEdit, withAttrsMessage, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

type Args = EditArgs & LineInFile;

export default defineModule<Args, EditState>({
  name: 'lineinfile',
  description:
    "Ansible's lineinfile: makes sure a line is in a file (replacing the last line matching `regexp`), or that no line matches (state: absent). Other lines and their line ends stay as they were.",
  examples: ["- lineinfile:\n    path: /etc/etcd/etcd.conf\n    regexp: '^ETCD_INITIAL_CLUSTER_STATE='\n    line: ETCD_INITIAL_CLUSTER_STATE=existing"],
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file.' },
      line: { type: 'string', description: 'The line to put in (state=present).' },
      regexp: { type: 'string', description: 'A Python-style regular expression searched in each line.' },
      search_string: { type: 'string', description: 'A literal string searched in each line.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the line is there; absent: every line matching regexp (or equal to line) is removed.' },
      insertafter: { type: 'string', description: 'EOF (default) or a regular expression.' },
      insertbefore: { type: 'string', description: 'BOF or a regular expression.' },
      backrefs: { type: 'boolean', default: false, description: 'With regexp: `line` may use the match\'s groups (\\1, \\g<name>); when nothing matches, the file is left unchanged.' },
      firstmatch: { type: 'boolean', default: false, description: 'insertafter/insertbefore use the first matching line instead of the last.' },
      create: { type: 'boolean', default: false, description: 'Create the file when it does not exist.' },
      ...ansibleEditProperties,
    },
  },
  reads: fileRead,
  async plan(args, ctx) {
    if (args.state === 'present' && args.backrefs && args.regexp === undefined) throw new ModuleError('regexp is required with backrefs=true');
    if (args.backrefs && args.search_string !== undefined) throw new ModuleError('parameters are mutually exclusive: backrefs|search_string');
    if (args.state === 'present' && args.line === undefined) throw new ModuleError('line is required with state=present');
    if (args.state === 'absent' && args.line === undefined && args.regexp === undefined && args.search_string === undefined) throw new ModuleError('one of line, regexp, search_string is required with state=absent');
    if (args.regexp !== undefined && args.search_string !== undefined) throw new ModuleError('regexp and search_string are mutually exclusive');
    if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new ModuleError('insertafter and insertbefore are mutually exclusive');
    // Ansible's warning, word for word: playbooks look for it in the result's warnings.
    if (args.regexp === '' || args.search_string === '') {
      const what = args.regexp === '' ? 'regular expression' : 'search string';
      ctx.warn(
        `The ${what} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.` +
          (args.regexp === '' ? " If this is desired, use '^' to match every line in the file and avoid this warning." : ''),
      );
    }
    const warning = args.state === 'present' ? lineBreakWarning(args.line) : undefined;
    if (warning) ctx.warn(warning);
    let found = 0;
    const plan = await planEdit(args, ctx, (text) => {
      const r = lineInFile(text, args);
      found = r.found;
      return r.text;
    }, () => (args.state === 'absent' ? { found } : {}), { missing: 'Destination', diff: 'always' });
    // Ansible's words: a line that matched was replaced, any other change added one.
    const edited = !plan.state!.contentChanged ? '' : args.state === 'absent' ? `${found} line(s) removed` : found ? 'line replaced' : 'line added';
    return { ...plan, result: { ...plan.result, msg: withAttrsMessage(edited, plan.state), backup: '' } };
  },
  async apply(args, ctx, plan) {
    // Ansible's lineinfile names its backup `backup` (empty when none was made), not `backup_file`.
    const { backup_file: backup, ...result } = await applyEdit(args, ctx, plan);
    return { changed: true, result: { ...result, backup: backup ?? '' } };
  },
});
