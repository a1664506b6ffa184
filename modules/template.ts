import { relative } from 'node:path';
import { defineModule, ModuleError, reads, TsplayError, type ApplyContext, type PlanContext } from '../lib/module/kit.js';
import { makeCtx, renderJinja } from '../lib/module/files/formats.js';
import { DEFAULT_LEX, readJinjaHeader, templateFileVars, type LexOptions } from '../lib/module/files/jinja-settings.js';
import { applyPut, attrProperties, controllerFile, directPut, followProperty, planPut, putReads, readController, type PutArgs, type PutState } from '../lib/module/files/put-file.js';

interface Args extends PutArgs {
  src: string;
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
  newline_sequence?: string;
  variable_start_string?: string;
  variable_end_string?: string;
  block_start_string?: string;
  block_end_string?: string;
  comment_start_string?: string;
  comment_end_string?: string;
}

const delimiter = (what: string) => ({ type: 'string', minLength: 1, description: `The string that ${what} (Jinja's default unless given).` });

export default defineModule<Args, PutState>({
  name: 'template',
  description:
    "Renders a Jinja template from the controller (templates/ beside the playbook) and puts the result on the host, byte for byte as Ansible's template module does: if/elif/else, for with loop.*, set, macro, call/caller, raw, comments, `-` whitespace control, trim_blocks, a first `#jinja2:` line overriding the delimiters, trim_blocks, lstrip_blocks, newline_sequence or keep_trailing_newline. A statement tsplay does not support (include, import, extends) fails with its file:line:col.",
  examples: ['- template:\n    src: etcd.conf.j2\n    dest: /etc/etcd/etcd.conf\n    mode: \'0644\'\n    backup: true'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', minLength: 1, description: 'The template on the controller: absolute, or under templates/ beside the playbook, or beside it.' },
      dest: { type: 'string', minLength: 1, description: "The file's full path on the host." },
      force: { type: 'boolean', default: true, description: 'false: leave an existing file alone.' },
      backup: { type: 'boolean', default: false, description: 'Keep a copy of the old file beside it.' },
      validate: { type: 'string', pattern: '%s', description: 'A command checking the new file (%s) before it replaces the old one.' },
      trim_blocks: { type: 'boolean', default: true, description: 'Drop the first newline after a block or comment tag.' },
      lstrip_blocks: { type: 'boolean', default: false, description: "Drop the spaces and tabs before a block or comment tag on its line." },
      // A pattern, not an enum: the docs print an enum's values as they are, and these are line ends.
      newline_sequence: { type: 'string', pattern: '^(\\r\\n|\\n|\\r|\\\\r\\\\n|\\\\n|\\\\r)$', description: "The line end of the template text: '\\n' (the default), '\\r' or '\\r\\n'." },
      variable_start_string: delimiter('opens a printed expression'),
      variable_end_string: delimiter('closes a printed expression'),
      block_start_string: delimiter('opens a block'),
      block_end_string: delimiter('closes a block'),
      comment_start_string: delimiter('opens a comment'),
      comment_end_string: delimiter('closes a comment'),
      ...followProperty,
      ...attrProperties,
    },
  },
  reads: (args) => putReads(args.dest),
  plan(args, ctx) {
    const { text, file } = render(args, ctx);
    return planPut(args, ctx, Buffer.from(text), { src: file });
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: await applyPut(args, ctx, plan) };
  },
  async direct(args, ctx) {
    const { text, file } = render(args, ctx);
    return directPut(args, ctx, Buffer.from(text), { src: file });
  },
});

/** The template rendered on the controller with the host's variables. */
function render(args: Args, ctx: PlanContext | ApplyContext): { text: string; file: string } {
  const file = controllerFile(args.src, ctx.vars, 'templates');
  const source = readController(file).toString('utf8');
  let text: string;
  try {
    const { body, options } = readJinjaHeader(source, settings(args));
    // Ansible's template variables describe the controller's file: template_host is the controller, template_path the src as written.
    text = renderJinja(body, makeCtx({ ansible_managed: 'Ansible managed', ...ctx.vars, ...templateFileVars(args.src, file, args.dest) }), options);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /line (\d+), column (\d+)/.exec(msg);
    const rel = relative(process.cwd(), file);
    const name = rel && !rel.startsWith('..') ? rel : file;
    throw new ModuleError(`${name}${at ? `:${at[1]}:${at[2]}` : ''}: ${msg}${e instanceof TsplayError && e.hint ? ` (${e.hint})` : ''}`);
  }
  return { text, file };
}

/** The Jinja settings the arguments give; a template's `#jinja2:` line overrides them, as in Ansible. */
function settings(args: Args): LexOptions {
  return {
    variableStart: args.variable_start_string ?? DEFAULT_LEX.variableStart,
    variableEnd: args.variable_end_string ?? DEFAULT_LEX.variableEnd,
    blockStart: args.block_start_string ?? DEFAULT_LEX.blockStart,
    blockEnd: args.block_end_string ?? DEFAULT_LEX.blockEnd,
    commentStart: args.comment_start_string ?? DEFAULT_LEX.commentStart,
    commentEnd: args.comment_end_string ?? DEFAULT_LEX.commentEnd,
    trimBlocks: args.trim_blocks ?? DEFAULT_LEX.trimBlocks,
    lstripBlocks: args.lstrip_blocks ?? DEFAULT_LEX.lstripBlocks,
    keepTrailingNewline: DEFAULT_LEX.keepTrailingNewline,
    // Ansible accepts the escaped spellings too ('\\n' as written in a YAML single-quoted string).
    newlineSequence: (args.newline_sequence ?? '\n').replaceAll('\\n', '\n').replaceAll('\\r', '\r'),
  };
}
