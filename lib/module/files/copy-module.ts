import { basename } from 'node:path';
import { defineModule, ModuleError, reads, type ModuleDefinition, type Plan, type PlanContext, type ReadContext } from '../kit.js';
import { pyJson } from '../../template/filters.js';
import { applyPut, attrProperties, controllerFile, directPut, followProperty, planPut, putReads, readController, type PutArgs, type PutState } from './put-file.js';
import { applyTree, isControllerDir, planTree, treeReads, type TreeState } from './copy-tree.js';

export interface CopyArgs extends PutArgs {
  content?: string | Record<string, unknown> | unknown[];
  src?: string;
  remote_src?: boolean;
}

/** The controller directory a `src` names, or undefined for a file (or a remote_src). */
function controllerDir(args: CopyArgs, vars: Readonly<Record<string, unknown>>): string | undefined {
  if (args.src === undefined || args.remote_src) return undefined;
  try {
    const p = controllerFile(args.src.replace(/(.)\/+$/, '$1'), vars, 'files');
    return isControllerDir(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** copy and file_copy are one module under two names: Ansible's, and the design's. */
export function copyModule(name: string, description: string): ModuleDefinition<CopyArgs, PutState | TreeState> {
  return defineModule<CopyArgs, PutState | TreeState>({
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
        src: {
          type: 'string',
          minLength: 1,
          description: 'A file or directory on the controller: absolute, or under files/ beside the playbook, or beside it. A directory ending in / copies what it holds into dest; without the /, the directory itself (dest/<name>). With remote_src, a file on the host.',
        },
        remote_src: { type: 'boolean', default: false, description: 'src is a file on the host (not a directory).' },
        force: { type: 'boolean', default: true, description: 'false: leave an existing file alone whatever it holds.' },
        backup: { type: 'boolean', default: false, description: 'Keep a copy of the old file beside it (`<dest>.<pid>.<date>~`).' },
        validate: { type: 'string', pattern: '%s', description: 'A command checking the new file (%s) before it replaces the old one.' },
        ...followProperty,
        ...attrProperties,
      },
    },
    reads(args, ctx) {
      const dir = controllerDir(args, ctx.vars);
      if (dir) return treeReads(dir, args.src!, args.dest);
      args = intoDirectoryDest(args);
      return args.remote_src && args.src !== undefined ? [...putReads(args.dest), reads.file(args.src)] : putReads(args.dest);
    },
    async plan(args, ctx) {
      const dir = controllerDir(args, ctx.vars);
      if (dir) return planTree({ ...args, src: args.src! }, ctx, dir);
      args = intoDirectoryDest(args);
      const { content, result } = args.remote_src ? await remoteSource(args, ctx) : source(args, ctx);
      return planPut(args, ctx, content, result, args.src !== undefined ? basename(args.src) : undefined);
    },
    async apply(args, ctx, plan) {
      if (controllerDir(args, ctx.vars)) return { changed: true, result: await applyTree(args, ctx, plan as Plan<TreeState>) };
      args = intoDirectoryDest(args);
      return { changed: true, result: await applyPut(args, ctx, plan as Plan<PutState>) };
    },
    // One round trip: the content goes with the write, which leaves a file holding it alone.
    async direct(args, ctx) {
      if (args.remote_src || controllerDir(args, ctx.vars)) return undefined;
      args = intoDirectoryDest(args);
      const { content, result } = source(args, ctx);
      return directPut(args, ctx, content, result, args.src !== undefined ? basename(args.src) : undefined);
    },
  });
}

/**
 * A dest ending in / names a directory: a single file from src goes inside it
 * under its own name, as Ansible's copy does. Called after the tree copy's
 * check: a directory src is the tree copy's, dest as given.
 */
function intoDirectoryDest(args: CopyArgs): CopyArgs {
  if (args.src === undefined || !args.dest.endsWith('/') || args.src.endsWith('/')) return args;
  return { ...args, dest: args.dest + basename(args.src) };
}

/** remote_src: the bytes of a file on the host (read in the same round trip as dest). */
async function remoteSource(args: CopyArgs, ctx: PlanContext): Promise<{ content: Buffer; result: Record<string, unknown> }> {
  if (args.content !== undefined || args.src === undefined) throw new ModuleError('remote_src needs src (a file on the host), not content');
  const file = await ctx.host.read(args.src);
  if (!file.exists) throw new ModuleError(`Source ${args.src} not found`);
  if (file.stat.isDirectory) throw new ModuleError(`${args.src} is a directory: remote_src copies a single file (use command: cp -a for a tree on the host)`);
  return { content: file.content!, result: { src: args.src } };
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
