/**
 * Ansible's file tests (`path is file`, `is_dir`, `is_link`, `exists`,
 * `same_file`, `mount`, ...): Python's os.path functions, run on the
 * controller, as in Ansible: they never look at a managed host.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { TestDef } from './plugin-types.js';
import { templateError, typeName } from './values.js';

/** The path a test gets: text, as Python's os.path needs (anything else is its TypeError). */
function pathOf(v: unknown, test: string): string {
  if (typeof v !== 'string') throw templateError(`the '${test}' test expects a path as text, not ${typeName(v)}`);
  return v;
}

function statOf(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
}

/** os.path.ismount: the path's device differs from its parent's, or both are the same inode (the root). */
function isMount(path: string): boolean {
  const st = statOf(path, false);
  if (!st || st.isSymbolicLink()) return false;
  const parent = statOf(resolve(path, '..'), false);
  if (!parent) return false;
  return st.dev !== parent.dev || st.ino === parent.ino;
}

/** os.path.samefile: both exist (else Python's error) and are one file. */
function sameFile(a: string, b: string): boolean {
  const x = statOf(a, true);
  const y = statOf(b, true);
  if (!x || !y) throw templateError(`[Errno 2] No such file or directory: '${!x ? a : b}'`, 'same_file compares two paths that exist on the controller');
  return x.dev === y.dev && x.ino === y.ino;
}

const pathTest = (name: string, fn: (path: string, other: unknown) => boolean): TestDef => ({
  fn: (v, [other]) => fn(pathOf(v, name), other),
});

const isDir = pathTest('directory', (p) => statOf(p, true)?.isDirectory() ?? false);
const isFile = pathTest('file', (p) => statOf(p, true)?.isFile() ?? false);
const isLink = pathTest('link', (p) => statOf(p, false)?.isSymbolicLink() ?? false);
const isAbs = pathTest('abs', (p) => isAbsolute(p));
const same = pathTest('same_file', (p, other) => sameFile(p, pathOf(other, 'same_file')));
const mount = pathTest('mount', (p) => isMount(p));

export const fileTests: Record<string, TestDef> = {
  directory: isDir,
  is_dir: isDir,
  file: isFile,
  is_file: isFile,
  link: isLink,
  is_link: isLink,
  exists: pathTest('exists', (p) => statOf(p, true) !== undefined),
  link_exists: pathTest('link_exists', (p) => statOf(p, false) !== undefined),
  abs: isAbs,
  is_abs: isAbs,
  same_file: same,
  is_same_file: same,
  mount,
  is_mount: mount,
};

