/**
 * An authorized_keys file as ansible.posix's authorized_key reads and writes
 * it: entries keyed by the key itself (or by the whole line for a comment or
 * a line that is not a key), in file order; options parsed into ordered
 * (name, value) pairs; every key line written back as
 * `<options> <type> <key> <comment>`.
 */
const KEY_TYPES = ['sk-ecdsa-sha2-nistp256@openssh.com', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'ssh-ed25519', 'ssh-dss', 'ssh-rsa'];

export type Options = Array<[string, string | null]>;

export interface Entry {
  /** The key (base64), or the whole line for a line kept as it is. */
  id: string;
  /** The key type, or 'skipped' for a line kept as it is. */
  type: string;
  options: Options;
  comment: string;
  rank: number;
}

/** `a,b="x,y",c=1` into ordered pairs; commas inside quotes do not split. */
export function parseOptions(text: string | undefined): Options {
  if (!text) return [];
  const out: Options = [];
  for (const part of text.match(/(?:[^,"']|"[^"]*"|'[^']*')+/g) ?? []) {
    const i = part.indexOf('=');
    out.push(i >= 0 ? [part.slice(0, i), part.slice(i + 1)] : [part, null]);
  }
  return out;
}

/** A line as a key entry; undefined when it is not a key (no known key type in it). */
export function parseKey(raw: string, rank: number): Entry | undefined {
  const line = raw.replace(/\\#/g, '#');
  const parts = line.split(/\s+/).filter(Boolean);
  if (parts[0] === '#') return { id: line, type: 'skipped', options: [], comment: '', rank };
  const at = parts.findIndex((p) => KEY_TYPES.includes(p));
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return { id: parts[at + 1], type: parts[at], options: parseOptions(at > 0 ? parts.slice(0, at).join(' ') : undefined), comment: parts.slice(at + 2).join(' '), rank };
}

/** The file's entries, keyed as Ansible keys them (a later line with the same key replaces the earlier). */
export function parseKeys(text: string): Map<string, Entry> {
  const keys = new Map<string, Entry>();
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  lines.forEach((line, rank) => {
    const e = parseKey(line, rank) ?? { id: line, type: 'skipped', options: [], comment: '', rank };
    // A replaced entry keeps its place in insertion order, as a Python dict does.
    keys.set(e.id, e);
  });
  return keys;
}

/** Ansible's comparison of option sets: the same values per name (in order), whatever order the names come in. */
export function sameOptions(a: Options, b: Options): boolean {
  const group = (o: Options) => {
    const m = new Map<string, (string | null)[]>();
    for (const [k, v] of o) m.set(k, [...(m.get(k) ?? []), v]);
    return m;
  };
  const x = group(a);
  const y = group(b);
  return x.size === y.size && [...x].every(([k, v]) => JSON.stringify(y.get(k)) === JSON.stringify(v));
}

export function serialize(keys: Map<string, Entry>): string {
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((e) => {
      if (e.type === 'skipped') return e.id;
      const opts = e.options.length ? `${e.options.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(',')} ` : '';
      return `${opts}${e.type} ${e.id} ${e.comment}\n`;
    })
    .join('');
}
