/**
 * Ansible's find, with the host's own `find -printf` (GNU findutils) instead
 * of Python: one command lists every entry of every path with its lstat
 * fields; the filters (patterns, excludes, hidden, age, size, file type,
 * depth) run here, in Ansible's order and with its rules (fnmatch or Python
 * `re.match` on the base name). Only `contains` and `get_checksum` need the
 * files' bytes: a second command reads the candidates, and only them.
 */
import { globToRegExp } from '../../inventory/patterns.js';
import { pyRegex } from './py-regex.js';
import { permissionFlags, typeFlags } from './stat-result.js';
import { ModuleError, shellQuote, type PlanContext } from '../kit.js';

export interface FindArgs {
  paths: string | string[];
  patterns?: string | string[];
  excludes?: string | string[];
  contains?: string;
  read_whole_file: boolean;
  file_type: 'any' | 'directory' | 'file' | 'link';
  age?: string | number;
  age_stamp: 'atime' | 'ctime' | 'mtime';
  size?: string | number;
  recurse: boolean;
  hidden: boolean;
  get_checksum: boolean;
  use_regex: boolean;
  depth?: number;
}

interface Entry {
  type: string;
  path: string;
  name: string;
  parent: string;
  depth: number;
  st: Record<string, unknown>;
  size: number;
  times: { atime: number; mtime: number; ctime: number };
}

/** Bytes of a file `contains` reads at most (Ansible reads all: a bound for every input). */
const CONTAINS_MAX = 16 * 1024 * 1024;
/** Listing output kept at most. */
const LISTING_MAX = 256 * 1024 * 1024;

const FIELDS = 16;
// type, mode (octal), uid, gid, user, group, size, inode, dev, nlink, atime, mtime, ctime, depth, path, and an end marker.
const FORMAT = '%y\\0%m\\0%U\\0%G\\0%u\\0%g\\0%s\\0%i\\0%D\\0%n\\0%A@\\0%T@\\0%C@\\0%d\\0%p\\0.\\0';

/** Ansible's list arguments: a YAML list, or one string of comma-separated items. */
export function listArg(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseAge(age: string | number | undefined): number | undefined {
  if (age === undefined) return undefined;
  const m = /^(-?\d+)(s|m|h|d|w)?$/.exec(String(age).toLowerCase());
  if (!m) throw new ModuleError('failed to process age', {});
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, w: 604800 } as Record<string, number>)[m[2] ?? 's'];
}

function parseSize(size: string | number | undefined): number | undefined {
  if (size === undefined) return undefined;
  const m = /^(-?\d+)(b|k|m|g|t)?$/.exec(String(size).toLowerCase());
  if (!m) throw new ModuleError('failed to process size');
  return Number(m[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 } as Record<string, number>)[m[2] ?? 'b'];
}

function regex(p: string): RegExp {
  try {
    return pyRegex(p, { sticky: true });
  } catch (e) {
    throw new ModuleError(`invalid regular expression '${p}': ${(e as Error).message}`);
  }
}

/** Ansible's pfilter: a pattern matches the base name, and no exclude does. */
function nameFilter(args: FindArgs): (name: string) => boolean {
  const patterns = listArg(args.patterns);
  const use = patterns.length ? patterns : [args.use_regex ? '.*' : '*'];
  const excludes = listArg(args.excludes);
  const test = args.use_regex
    ? (p: string) => {
        const re = regex(p);
        return (n: string) => {
          re.lastIndex = 0;
          return re.test(n);
        };
      }
    : (p: string) => {
        const re = globToRegExp(p);
        return (n: string) => re.test(n);
      };
  const inc = use.map(test);
  const exc = excludes.map(test);
  return (n) => inc.some((f) => f(n)) && !exc.some((f) => f(n));
}

/** find -printf's %y letters as st_mode's file type bits. */
const FIND_TYPES: Record<string, number> = { d: 0o040000, c: 0o020000, b: 0o060000, f: 0o100000, p: 0o010000, l: 0o120000, s: 0o140000 };

function statInfo(f: string[]): Record<string, unknown> {
  const mode = parseInt(f[1], 8);
  const num = (s: string) => Number(s);
  return {
    mode: '0' + (mode & 0o7777).toString(8).padStart(3, '0'),
    ...typeFlags(FIND_TYPES[f[0]] ?? 0),
    uid: num(f[2]),
    gid: num(f[3]),
    size: num(f[6]),
    inode: num(f[7]),
    dev: num(f[8]),
    nlink: num(f[9]),
    atime: num(f[10]),
    mtime: num(f[11]),
    ctime: num(f[12]),
    gr_name: /^\d+$/.test(f[5]) && f[5] === f[3] ? '' : f[5],
    pw_name: /^\d+$/.test(f[4]) && f[4] === f[2] ? '' : f[4],
    ...permissionFlags(mode),
  };
}

/** The listing command: the host's clock, then per path either its entries or NOTDIR. */
function listing(paths: string[], maxDepth: number | undefined): string {
  const depth = maxDepth === undefined ? '' : ` -maxdepth ${maxDepth}`;
  const parts = paths.map((p) => {
    const q = shellQuote(p);
    return `if [ -d ${q} ]; then printf 'DIR\\0'; find ${q} -mindepth 1${depth} -printf '${FORMAT}'; else printf 'NOTDIR\\0'; fi`;
  });
  return [`date +%s.%N | tr '\\n' '\\0'`, ...parts].join('; ');
}

/** os.walk's order: a directory's files, then its directories, each in the order the host lists them; then into each directory. */
function walkOrder(top: string, entries: Entry[]): { order: Entry[]; walked: Set<string> } {
  const children = new Map<string, Entry[]>();
  for (const e of entries) (children.get(e.parent) ?? children.set(e.parent, []).get(e.parent)!).push(e);
  const order: Entry[] = [];
  const walked = new Set<string>();
  const visit = (dir: string) => {
    walked.add(dir);
    const kids = children.get(dir) ?? [];
    const dirs = kids.filter((k) => k.type === 'd');
    order.push(...kids.filter((k) => k.type !== 'd'), ...dirs);
    for (const d of dirs) visit(d.path);
  };
  visit(top);
  return { order, walked };
}

export async function findFiles(args: FindArgs, ctx: PlanContext): Promise<Record<string, unknown>> {
  const paths = listArg(args.paths);
  if (!paths.length) throw new ModuleError('paths: give at least one directory');
  const age = parseAge(args.age);
  const size = parseSize(args.size);
  const names = nameFilter(args);
  if (args.contains !== undefined) regex(args.contains);
  // Without recurse only the top directory is walked; with depth, Ansible looks one level past it (and skips those).
  const maxDepth = !args.recurse ? 1 : args.depth ? args.depth + 1 : undefined;
  const r = await ctx.host.run(listing(paths, maxDepth), { allowFailure: true, maxOutput: LISTING_MAX });
  if (r.truncated?.stdout) throw new ModuleError(`the listing of ${paths.join(', ')} is over ${LISTING_MAX} bytes: narrow paths, or give depth`);
  const fields = r.stdout.split('\0');
  const now = Number(fields.shift());
  const files: Array<{ entry: Entry; result: Record<string, unknown> }> = [];
  const skipped: Record<string, string> = {};
  let examined = 0;
  for (const top of paths) {
    const kind = fields.shift();
    if (kind !== 'DIR') {
      skipped[top] = `'${top}' is not a directory`;
      continue;
    }
    const entries: Entry[] = [];
    while (fields.length >= FIELDS && fields[FIELDS - 1] === '.') {
      const f = fields.splice(0, FIELDS);
      const path = f[14].replace(/\/+/g, '/');
      const slash = path.lastIndexOf('/');
      entries.push({
        type: f[0],
        path,
        name: path.slice(slash + 1),
        parent: slash > 0 ? path.slice(0, slash) : '/',
        depth: Number(f[13]),
        st: statInfo(f),
        size: Number(f[6]),
        times: { atime: Number(f[10]), mtime: Number(f[11]), ctime: Number(f[12]) },
      });
    }
    const root = top.length > 1 ? top.replace(/\/+$/, '').replace(/\/+/g, '/') : top;
    const { order } = walkOrder(root, entries);
    examined += order.length;
    const err = r.stderr.split('\n').find((l) => l.startsWith(`find: ‘${root}`) || l.startsWith(`find: '${root}`));
    if (err) skipped[top] = err.replace(/^find: /, '');
    for (const e of order) {
      if (args.depth && e.depth > args.depth) continue;
      if (e.name.startsWith('.') && !args.hidden) continue;
      if (!names(e.name)) continue;
      const stamp = e.times[args.age_stamp];
      if (age !== undefined && !(age >= 0 ? now - stamp >= Math.abs(age) : now - stamp <= Math.abs(age))) continue;
      const sizeOk = size === undefined || (size >= 0 ? e.size >= Math.abs(size) : e.size <= Math.abs(size));
      const want =
        args.file_type === 'any' ? e.type !== 'f' || sizeOk : args.file_type === 'directory' ? e.type === 'd' : args.file_type === 'link' ? e.type === 'l' : e.type === 'f' && sizeOk;
      if (!want) continue;
      files.push({ entry: e, result: { path: e.path, ...e.st } });
    }
  }
  for (const [p, why] of Object.entries(skipped)) ctx.warn(`Skipped '${p}' path due to this access issue: ${why}`);

  // contains and get_checksum read the candidates' bytes, in one more command.
  const regular = files.filter((f) => f.entry.type === 'f');
  const needContent = args.contains !== undefined && args.file_type === 'file';
  if ((needContent || args.get_checksum) && regular.length) {
    const script = regular
      .map((f) => {
        const q = shellQuote(f.entry.path);
        const sum = args.get_checksum ? `sha1sum < ${q} | cut -c1-40 | tr -d '\\n'` : 'true';
        const body = needContent ? `head -c ${CONTAINS_MAX} < ${q} | base64 -w0` : 'true';
        return `{ ${sum}; printf '\\0'; ${body}; printf '\\0'; } 2>/dev/null`;
      })
      .join('; ');
    const c = await ctx.host.run(script, { allowFailure: true });
    const parts = c.stdout.split('\0');
    const keep: typeof files = [];
    const dropped = new Set<unknown>();
    regular.forEach((f, i) => {
      const sum = parts[2 * i] ?? '';
      const body = Buffer.from(parts[2 * i + 1] ?? '', 'base64').toString('utf8');
      if (args.get_checksum && sum) f.result.checksum = sum;
      if (needContent && !containsMatch(body, args.contains!, args.read_whole_file)) dropped.add(f);
    });
    for (const f of files) if (!dropped.has(f)) keep.push(f);
    files.splice(0, files.length, ...keep);
  }
  const list = files.map((f) => f.result);
  return {
    files: list,
    matched: list.length,
    examined,
    msg: Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined',
    skipped_paths: skipped,
  };
}

/** Ansible's contentfilter: a line that starts with a match (re.match), or anywhere in the whole file. */
function containsMatch(text: string, pattern: string, whole: boolean): boolean {
  if (whole) {
    const re = pyRegex(pattern);
    re.lastIndex = 0;
    return re.test(text);
  }
  const re = regex(pattern);
  for (const line of text.split(/(?<=\n)/)) {
    re.lastIndex = 0;
    if (re.test(line)) return true;
  }
  return false;
}
