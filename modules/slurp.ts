import { defineModule, ModuleError, reads } from '../lib/module/kit.js';

interface Args {
  src: string;
}

export default defineModule<Args>({
  name: 'slurp',
  description: "Ansible's slurp: a file's content from the host, base64-encoded (`content`, `encoding`, `source`); use `| b64decode`.",
  examples: ["- slurp:\n    src: /etc/etcd/etcd.conf\n  register: conf\n- debug: msg=\"{{ conf.content | b64decode }}\""],
  checkMode: 'always',
  aliases: { path: 'src' },
  schema: { type: 'object', additionalProperties: false, required: ['src'], properties: { src: { type: 'string', minLength: 1, description: 'The file.' } } },
  reads: (args) => [reads.file(args.src)],
  async plan(args, ctx) {
    const f = await ctx.host.read(args.src);
    if (!f.exists) throw new ModuleError(`file not found: ${args.src}`);
    if (f.content === null) throw new ModuleError(`source is a directory and must be a file: ${args.src}`);
    return { changed: false, result: { content: f.content.toString('base64'), encoding: 'base64', source: args.src } };
  },
});
