import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineModule, ModuleError, reads, shellQuote, type PlanContext } from '../lib/module/kit.js';
import { applyPut, attrProperties, controllerFile, planPut, putReads, type PutState } from '../lib/module/files/put-file.js';
import { pyRegex } from '../lib/module/files/py-regex.js';

interface Args {
  src: string;
  dest: string;
  delimiter?: string;
  regexp?: string;
  ignore_hidden: boolean;
  remote_src: boolean;
  decrypt: boolean;
  backup: boolean;
  validate?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** The fragments of a directory on the host, in one command: each regular file's name and bytes. */
function fragmentsCommand(dir: string): string {
  const q = shellQuote(dir);
  return `if [ ! -e ${q} ]; then echo MISSING; elif [ ! -d ${q} ]; then echo NOTDIR; else cd ${q} && echo DIR && for f in * .[!.]* ..?*; do [ -f "$f" ] || continue; printf '%s\\n' "$f" | base64 -w0; printf ' '; base64 -w0 < "$f"; printf '\\n'; done; fi`;
}

type Fragment = { name: string; content: Buffer };

async function hostFragments(args: Args, ctx: PlanContext): Promise<Fragment[]> {
  const r = await ctx.host.get(reads.command(fragmentsCommand(args.src)));
  const [head, ...lines] = r.stdout.split('\n');
  if (head === 'MISSING') throw new ModuleError(`Source (${args.src}) does not exist`);
  if (head === 'NOTDIR') throw new ModuleError(`Source (${args.src}) is not a directory`);
  return lines
    .filter((l) => l !== '')
    .map((l) => {
      const [name, body] = l.split(' ');
      return { name: Buffer.from(name, 'base64').toString('utf8').replace(/\n$/, ''), content: Buffer.from(body ?? '', 'base64') };
    });
}

function controllerFragments(args: Args, vars: Readonly<Record<string, unknown>>): Fragment[] {
  const dir = controllerFile(args.src, vars, 'files');
  if (!statSync(dir).isDirectory()) throw new ModuleError(`Source (${dir}) is not a directory`);
  const out: Fragment[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) out.push({ name, content: readFileSync(p) });
    } catch {
      // a dangling link is no fragment, as os.path.isfile says
    }
  }
  const vaulted = args.decrypt ? out.find((f) => f.content.subarray(0, 14).toString('latin1') === '$ANSIBLE_VAULT') : undefined;
  if (vaulted) throw new ModuleError(`${join(dir, vaulted.name)} is vault-encrypted: tsplay does not decrypt assemble fragments (decrypt: false writes it as it is)`);
  return out;
}

/** Python's codecs.escape_decode of the delimiter: \n, \t, \\, \xNN and the other C escapes. */
function unescape(s: string): Buffer {
  const map: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '0': 0 };
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== 92 || i + 1 >= raw.length) {
      bytes.push(c);
      continue;
    }
    const n = String.fromCharCode(raw[i + 1]);
    if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.subarray(i + 2, i + 4).toString('latin1'))) {
      bytes.push(parseInt(raw.subarray(i + 2, i + 4).toString('latin1'), 16));
      i += 3;
    } else if (n in map) {
      bytes.push(map[n]);
      i += 1;
    } else bytes.push(c);
  }
  return Buffer.from(bytes);
}

/** Ansible's assemble_from_fragments: sorted by name, a newline after a fragment without one, the delimiter between fragments. */
function assembleFragments(fragments: Fragment[], args: Args): Buffer {
  const re = args.regexp !== undefined ? pyRegex(args.regexp) : undefined;
  const parts: Buffer[] = [];
  let first = true;
  let addNewline = false;
  for (const f of [...fragments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (re && !((re.lastIndex = 0), re.test(f.name))) continue;
    if (args.ignore_hidden && f.name.startsWith('.')) continue;
    if (addNewline) parts.push(Buffer.from('\n'));
    if (!first && args.delimiter) {
      const d = unescape(args.delimiter);
      parts.push(d);
      if (d[d.length - 1] !== 10) parts.push(Buffer.from('\n'));
    }
    parts.push(f.content);
    first = false;
    addNewline = !f.content.toString('latin1').endsWith('\n');
  }
  return Buffer.concat(parts);
}

/** Ansible's assemble names the file `dest` only, whether it changed or not (copy's unchanged result adds `path`). */
function withoutPath(result: Record<string, unknown>): Record<string, unknown> {
  const { path: _path, ...rest } = result;
  return rest;
}

export default defineModule<Args, PutState>({
  name: 'assemble',
  description:
    "Ansible's assemble: joins the files of a directory (on the host by default, or on the controller with `remote_src: false`), sorted by name, into one file, atomically, with an optional `delimiter` between them; `regexp` picks fragments by name. The file is replaced only when its bytes differ. Predicted in check mode (Ansible skips it): the fragments are read, nothing is written.",
  examples: ['- assemble:\n    src: /etc/haproxy/conf.d\n    dest: /etc/haproxy/haproxy.cfg\n    validate: haproxy -c -f %s\n    backup: true'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', minLength: 1, description: 'The directory of fragments: on the host, or on the controller with remote_src: false (files/ beside the playbook, or beside it).' },
      dest: { type: 'string', minLength: 1, description: 'The file to write on the host.' },
      delimiter: { type: 'string', description: 'Written between fragments (escapes such as \\n are decoded); a newline follows it unless it ends in one.' },
      regexp: { type: 'string', description: 'Only fragments whose names this Python regular expression finds a match in.' },
      ignore_hidden: { type: 'boolean', default: false, description: 'Leave out fragments whose names start with a dot.' },
      remote_src: { type: 'boolean', default: true, description: 'false: src is a directory on the controller.' },
      decrypt: { type: 'boolean', default: true, description: "Ansible's vault decryption of controller fragments: tsplay refuses a vault-encrypted fragment rather than write it encrypted; fragments on the host are taken as they are, as in Ansible." },
      backup: { type: 'boolean', default: false, description: 'Keep the old file as <dest>.<pid>.<date>~.' },
      validate: { type: 'string', pattern: '%s', description: 'A command checking the new file (%s) before it replaces the old one.' },
      ...attrProperties,
    },
  },
  reads: (args) => [...putReads(args.dest), ...(args.remote_src ? [reads.command(fragmentsCommand(args.src))] : [])],
  async plan(args, ctx) {
    if (args.regexp !== undefined) {
      try {
        pyRegex(args.regexp);
      } catch (e) {
        throw new ModuleError(`Invalid Regexp (${(e as Error).message}) in "${args.regexp}"`);
      }
    }
    const fragments = args.remote_src ? await hostFragments(args, ctx) : controllerFragments(args, ctx.vars);
    const content = assembleFragments(fragments, args);
    const plan = await planPut({ ...args, force: true }, ctx, content, { src: args.src, msg: 'OK', md5sum: createHash('md5').update(content).digest('hex') });
    return { ...plan, ...(plan.result ? { result: withoutPath(plan.result) } : {}) };
  },
  async apply(args, ctx, plan) {
    return { changed: true, result: withoutPath(await applyPut(args, ctx, plan)) };
  },
});
