import { relative } from 'node:path';
import { defineModule, ModuleError, reads, TsplayError, type ApplyContext, type PlanContext } from '../lib/module/kit.js';
import { makeCtx, renderJinja } from '../lib/module/files/formats.js';
import { readJinjaHeader } from '../lib/template/jinja/header.js';
import { applyPut, attrProperties, controllerFile, directPut, followProperty, planPut, putReads, readController, type PutArgs, type PutState } from '../lib/module/files/put-file.js';

interface Args extends PutArgs {
  src: string;
}

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
    const { body, options } = readJinjaHeader(source);
    text = renderJinja(body, makeCtx({ ansible_managed: 'Ansible managed', ...ctx.vars, template_path: file, template_fullpath: file, template_host: ctx.host.name }), options);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /line (\d+), column (\d+)/.exec(msg);
    const rel = relative(process.cwd(), file);
    const name = rel && !rel.startsWith('..') ? rel : file;
    throw new ModuleError(`${name}${at ? `:${at[1]}:${at[2]}` : ''}: ${msg}${e instanceof TsplayError && e.hint ? ` (${e.hint})` : ''}`);
  }
  return { text, file };
}
