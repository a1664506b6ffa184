/**
 * What community.general's archive module puts in an archive, worked out as
 * it does: `path` and `exclude_path` expanded (globs by the host's shell,
 * which matches as Python's glob does), the archive root (the sources'
 * common directory), and each member's name below that root. A directory
 * source contributes what is under it, not itself.
 */
import { shellQuote } from '../../connection/quote.js';
import { fnmatch } from '../facts/subsets.js';

export interface Expanded {
  /** Every expanded path, found or not, in the order given (Ansible's expanded_paths). */
  expandedPaths: string[];
  expandedExcludePaths: string[];
  /** Any `path` had a glob character. */
  globby: boolean;
  /** Path to 'd' (directory), 'f' (anything else that exists) or 'm' (missing). */
  types: Map<string, string>;
  /** A directory source to what is under it: [type, full path]. */
  children: Map<string, Array<[string, string]>>;
}

const globby = (p: string) => p.includes('*') || p.includes('?');

/** A script printing the expansions (`P`/`X`, type, path), each source directory's tree (`C`, type, path), the umask and the uid. */
export function expandScript(paths: string[], excludes: string[]): string {
  const lines = [
    'pr() { if [ -d "$2" ]; then t=d; elif [ -e "$2" ] || [ -L "$2" ]; then t=f; else t=m; fi',
    '  printf \'%s\\t%s\\t%s\\n\' "$1" "$t" "$2"',
    '  if [ "$1" = P ] && [ "$t" = d ]; then find -H "$2" -mindepth 1 \\( -type d -printf \'C\\td\\t%p\\n\' \\) -o -printf \'C\\tf\\t%p\\n\'; fi; }',
    // Unquoted with IFS empty: pathname expansion only, no word splitting; a pattern that matches nothing is dropped.
    'g() { ( IFS=; for f in $2; do if [ -e "$f" ] || [ -L "$f" ]; then pr "$1" "$f"; fi; done ) }',
    'printf "U\\t%s\\n" "$(umask)"; printf "I\\t%s\\n" "$(id -u)"',
  ];
  for (const [tag, list] of [['P', paths], ['X', excludes]] as const) {
    for (const p of list) lines.push(`${globby(p) ? 'g' : 'pr'} ${tag} ${shellQuote(p)}`);
  }
  return lines.join('\n');
}

export function parseExpansion(out: string, paths: string[]): Expanded & { umask: number; uid: number } {
  const e: Expanded & { umask: number; uid: number } = { expandedPaths: [], expandedExcludePaths: [], globby: paths.some(globby), types: new Map(), children: new Map(), umask: 0o022, uid: -1 };
  let parent = '';
  for (const line of out.split('\n')) {
    const [tag, a, ...rest] = line.split('\t');
    const path = rest.join('\t');
    if (tag === 'U') e.umask = parseInt(a, 8);
    else if (tag === 'I') e.uid = Number(a);
    else if (tag === 'P' || tag === 'X') {
      (tag === 'P' ? e.expandedPaths : e.expandedExcludePaths).push(path);
      e.types.set(path, a);
      parent = path;
      if (tag === 'P' && a === 'd' && !e.children.has(path)) e.children.set(path, []);
    } else if (tag === 'C') e.children.get(parent)?.push([a, path]);
  }
  return e;
}

/** Ansible's common_path: the directory all sources share, with a trailing slash ('' for relative names in the current directory). */
export function commonPath(paths: string[]): string {
  const dirs = paths.map((p) => withSlash(dirname(p)));
  let prefix = dirs[0] ?? '';
  for (const d of dirs) while (!d.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return withSlash(dirname(prefix));
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

const withSlash = (p: string) => (p === '' || p.endsWith('/') ? p : `${p}/`);

export const stripPrefix = (prefix: string, s: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);

export interface Member {
  /** The source path on the host. */
  path: string;
  /** Its name in the archive, relative to the root. */
  name: string;
}

/**
 * The members, in Ansible's order: each source (a directory's tree, or the
 * file); exclusion_patterns match the member name for tar, the full path for
 * zip (as community.general's archive does).
 */
export function membersOf(targets: string[], e: Expanded, root: string, patterns: string[], zip: boolean): Member[] {
  const out: Member[] = [];
  const add = (path: string) => {
    const name = stripPrefix(root, path);
    if (patterns.some((p) => fnmatch(zip ? path : name, p))) return;
    out.push({ path, name });
  };
  for (const t of targets) {
    const kids = e.types.get(t) === 'd' ? e.children.get(t) : undefined;
    if (kids) kids.forEach(([, p]) => add(p));
    else add(t);
  }
  return out;
}
