/**
 * fstab lines as Ansible's mount module (ansible.posix) writes them: the
 * fields separated by one space, a space in a field written as \040, an
 * entry found by its mount point, replaced in place or added at the end.
 * Comments, blank lines and every other entry stay as they were.
 */

export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

/** A field as fstab(5) writes it: whitespace and backslashes escaped in octal. */
export function escapeField(s: string): string {
  return s.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/\t/g, '\\011').replace(/\n/g, '\\012');
}

export function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function formatEntry(e: FstabEntry): string {
  return [e.src, e.path, e.fstype, e.opts, e.dump, e.passno].map(escapeField).join(' ');
}

function parseLine(line: string): FstabEntry | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#')) return undefined;
  const f = t.split(/\s+/);
  if (f.length < 4) return undefined;
  const [src, path, fstype, opts, dump = '0', passno = '0'] = f.map(unescapeField);
  return { src, path, fstype, opts, dump, passno };
}

/** The entry for a mount point, or undefined. */
export function findEntry(text: string, path: string): FstabEntry | undefined {
  for (const line of text.split('\n')) {
    const e = parseLine(line);
    if (e?.path === path) return e;
  }
  return undefined;
}

/** The file with the entry for `entry.path` set: replaced where it was (every line for that path: the first is kept), or added at the end. */
export function setEntry(text: string, entry: FstabEntry): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let done = false;
  const out: string[] = [];
  for (const line of lines) {
    const e = parseLine(line);
    if (e?.path !== entry.path) out.push(line);
    else if (!done) {
      const same = e.src === entry.src && e.fstype === entry.fstype && e.opts === entry.opts && e.dump === entry.dump && e.passno === entry.passno;
      out.push(same ? line : formatEntry(entry));
      done = true;
    }
  }
  if (!done) out.push(formatEntry(entry));
  return out.join('\n') + '\n';
}

/** The file without any entry for a mount point. */
export function removeEntry(text: string, path: string): string {
  if (text === '') return text;
  const kept = text.replace(/\n$/, '').split('\n').filter((line) => parseLine(line)?.path !== path);
  return kept.length ? kept.join('\n') + '\n' : '';
}

/** The mount points /proc/mounts lists (unescaped). */
export function mountedPaths(procMounts: string): Set<string> {
  const out = new Set<string>();
  for (const line of procMounts.split('\n')) {
    const f = line.split(' ');
    if (f.length > 2) out.add(unescapeField(f[1]));
  }
  return out;
}
