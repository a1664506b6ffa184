import { defineModule, ModuleError, reads, type ModuleDefinition, type ReadContext } from '../kit.js';
import { pyJson } from '../../template/filters.js';
import { applyPut, attrProperties, controllerFile, directPut, followProperty, planPut, putReads, readController, type PutArgs, type PutState } from './put-file.js';

export interface CopyArgs extends PutArgs {
  content?: string | Record<string, unknown> | unknown[];
  src?: string;
}

/** copy and file_copy are one module under two names: Ansible's, and the design's. */
export function copyModule(name: string, description: string): ModuleDefinition<CopyArgs, PutState> {
  return defineModule<CopyArgs, PutState>({
    name,
    description,
    examples: [
      `- ${name}:\n    content: "nameserver 10.0.0.2\\n"\n    dest: /etc/resolv.conf\n    mode: '0644'\n    backup: true`,
      `- ${name}:\n    src: haproxy.cfg          # files/haproxy.cfg beside the playbook\n    dest: /etc/haproxy/haproxy.cfg\n    validate: haproxy -c -f %s`,
    ],
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['dest'],
      properties: {
        dest: { type: 'string', minLength: 1, description: "The file's full path on the host." },
        content: { anyOf: [{ type: 'string' }, { type: 'object' }, { type: 'array' }], description: 'The file content; a mapping or a list is written as JSON, as Ansible does.' },
        src: { type: 'string', minLength: 1, description: "A file on the controller: absolute, or under files/ beside the playbook, or beside it." },
        force: { type: 'boolean', default: true, description: 'false: leave an existing file alone whatever it holds.' },
        backup: { type: 'boolean', default: false, description: 'Keep a copy of the old file beside it (`<dest>.<pid>.<date>~`).' },
        validate: { type: 'string', pattern: '%s', description: 'A command checking the new file (%s) before it replaces the old one.' },
        ...followProperty,
        ...attrProperties,
      },
    },
    reads: (args) => putReads(args.dest),
    plan(args, ctx) {
      const { content, result } = source(args, ctx);
      return planPut(args, ctx, content, result);
    },
    async apply(args, ctx, plan) {
      return { changed: true, result: await applyPut(args, ctx, plan) };
    },
    // One round trip: the content goes with the write, which leaves a file holding it alone.
    async direct(args, ctx) {
      const { content, result } = source(args, ctx);
      return directPut(args, ctx, content, result);
    },
  });
}

/** The bytes to put, from `content` or the controller file `src`, and what the result says of them. */
function source(args: CopyArgs, ctx: ReadContext): { content: Buffer; result: Record<string, unknown> } {
  if ((args.content === undefined) === (args.src === undefined)) throw new ModuleError('give exactly one of content, src');
  if (args.src === undefined) {
    // Ansible's copy action writes a mapping or a list as json.dumps() gives it.
    const text = typeof args.content === 'string' ? args.content : pyJson(args.content);
    return { content: Buffer.from(text), result: {} };
  }
  const file = controllerFile(args.src, ctx.vars, 'files');
  return { content: readController(file), result: { src: file } };
}
