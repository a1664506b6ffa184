/**
 * A .repo file as Python's configparser reads and writes it (what Ansible's
 * yum_repository uses): sections in file order, keys lower-cased, a value's
 * continuation lines joined with newlines, comments and blank lines dropped;
 * written as `key = value` with continuation lines indented by a tab and a
 * blank line after each section.
 */
export type Ini = Map<string, Map<string, string>>;

export function parseIni(text: string): Ini {
  const ini: Ini = new Map();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*[#;]/.test(line)) continue;
    if (line.trim() === '') {
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey)}\n${line.trim()}`);
      continue;
    }
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head) {
      section = ini.get(head[1]) ?? new Map();
      ini.set(head[1], section);
      lastKey = undefined;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (kv && section) {
      lastKey = kv[1].trim().toLowerCase();
      section.set(lastKey, kv[2].trim());
    }
  }
  return ini;
}

export function writeIni(ini: Ini): string {
  let out = '';
  for (const [name, keys] of ini) {
    out += `[${name}]\n`;
    for (const [k, v] of keys) out += `${k} = ${v.replace(/\n/g, '\n\t')}\n`;
    out += '\n';
  }
  return out;
}

/** Sections and keys sorted, as Ansible's diff shows a repo file. */
export function dumpIni(ini: Ini): string {
  let out = '';
  for (const name of [...ini.keys()].sort()) {
    out += `[${name}]\n`;
    for (const k of [...ini.get(name)!.keys()].sort()) out += `${k} = ${ini.get(name)!.get(k)}\n`;
    out += '\n';
  }
  return out;
}
