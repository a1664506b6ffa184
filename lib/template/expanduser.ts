/**
 * The `expanduser` filter: Python's os.path.expanduser on the controller, as
 * Ansible's filter runs it there. `~` is $HOME (else the running user's home),
 * `~name` that user's home in /etc/passwd; a name with no entry leaves the
 * path as it is.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

export function expandUser(path: string): string {
  if (!path.startsWith('~')) return path;
  let end = path.indexOf('/', 1);
  if (end < 0) end = path.length;
  const home = end === 1 ? (process.env.HOME ?? userInfo().homedir) : homeOf(path.slice(1, end));
  if (home === undefined) return path;
  return home.replace(/\/+$/, '') + path.slice(end) || '/';
}

/** A user's home from the controller's /etc/passwd (read at each use: it is small, and the filter is rare). */
function homeOf(name: string): string | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 7 && fields[0] === name) return fields[5];
  }
  return undefined;
}
