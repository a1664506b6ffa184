/**
 * group_vars/ and host_vars/ beside an inventory source, as Ansible's
 * host_group_vars plugin finds them: for a name, the first of `name` (a file,
 * or a directory read recursively in sorted order), `name.yml`, `name.yaml`,
 * `name.json`; inside directories only files with those extensions or none,
 * skipping hidden files and backups ending in `~`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TsplayError } from '../errors.js';
import { assignOwn } from '../util/own.js';
import { decodeSource } from '../yaml/decode.js';
import { loadYaml, toValue } from './yaml-load.js';
import type { Vars } from './types.js';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

async function stat(p: string) {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

/** Python's sorted() over os.listdir(): byte order. */
function byteSort(names: string[]): string[] {
  return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

async function dirFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of byteSort(await fs.readdir(dir))) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = path.join(dir, name);
    const ext = path.extname(name);
    const st = await stat(full);
    if (!st) continue;
    if (st.isDirectory() && !ext) out.push(...(await dirFiles(full)));
    else if (st.isFile() && (!ext || EXTENSIONS.includes(ext))) out.push(full);
  }
  return out;
}

async function findVarsFiles(base: string, name: string): Promise<string[]> {
  for (const ext of ['', ...EXTENSIONS]) {
    const full = path.join(base, name) + ext;
    const st = await stat(full);
    if (!st) continue;
    if (st.isDirectory()) return dirFiles(full);
    return [full];
  }
  return [];
}

async function loadVarsFile(file: string): Promise<Vars | null> {
  const text = decodeSource(await fs.readFile(file), file, 'variables file');
  const { doc, at } = loadYaml(text, file);
  const v = toValue(doc.contents, doc);
  if (!v) return null; // an empty file adds nothing
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new TsplayError('parse', `Variables file ${file} must hold a mapping of variable names to values`, {
      pos: at(doc.contents),
      hint: 'Write it as "name: value" lines.',
    });
  }
  return v as Vars;
}

/** A group_vars/ or host_vars/ directory, resolved and listed once for every name looked up in it. */
export interface VarsDir {
  base: string;
  entries: Set<string>;
}

/** `<dir>/group_vars` or `<dir>/host_vars` when it is a directory, else null. */
export async function openVarsDir(dir: string, kind: 'group_vars' | 'host_vars'): Promise<VarsDir | null> {
  let base: string;
  try {
    base = await fs.realpath(path.join(dir, kind));
  } catch {
    return null;
  }
  const st = await stat(base);
  if (!st?.isDirectory()) return null;
  return { base, entries: new Set(await fs.readdir(base)) };
}

/**
 * The vars of one group or host from an opened group_vars/ or host_vars/,
 * merged in file order (later files win). A plain name that has no entry in
 * the listing costs no file system call, so 100k hosts without host_vars
 * load as fast as one.
 */
export async function varsIn(vd: VarsDir | null, name: string): Promise<Vars> {
  // Ansible skips names that look like absolute paths (chroot-style host names).
  if (!vd || name.startsWith(path.sep)) return {};
  const plain = !name.includes(path.sep) && name !== '.' && name !== '..';
  if (plain && !['', ...EXTENSIONS].some((ext) => vd.entries.has(name + ext))) return {};
  const out: Vars = {};
  for (const f of await findVarsFiles(vd.base, name)) {
    const data = await loadVarsFile(f);
    if (data) assignOwn(out, data);
  }
  return out;
}
