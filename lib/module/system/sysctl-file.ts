/**
 * A sysctl.conf as Ansible's sysctl module rewrites it: every `key = value`
 * line becomes `key=value`, a key's later duplicates go, the key in question
 * is set (or dropped), and comments and blank lines stay.
 */
export interface SysctlFile {
  /** The values of the file, by key (the last one wins, as Ansible reads it). */
  values: Map<string, string>;
  lines: string[];
}

const isData = (line: string) => line !== '' && !line.startsWith('#') && !line.startsWith(';') && line.includes('=');

function split(line: string): [string, string] {
  const i = line.indexOf('=');
  return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
}

export function parseSysctl(text: string): SysctlFile {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n').map((l) => l.trim());
  const values = new Map<string, string>();
  for (const l of lines) if (isData(l)) values.set(...split(l));
  return { values, lines };
}

/** The file's new text with `name` set to `value` (state present) or removed. */
export function fixSysctl(file: SysctlFile, name: string, value: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of file.lines) {
    if (!isData(l)) {
      out.push(l);
      continue;
    }
    const [k, v] = split(l);
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) out.push(`${k}=${v}`);
    else if (value !== undefined) out.push(`${k}=${value}`);
  }
  if (!seen.has(name) && value !== undefined) out.push(`${name}=${value}`);
  return out.map((l) => `${l.trim()}\n`).join('');
}

/** Ansible's comparison of a kernel value with the wanted one: the same words in the same order. */
export function sameValue(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = a.split(/\s+/).filter(Boolean);
  const y = b.split(/\s+/).filter(Boolean);
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

/** sysctl's failures that it reports with exit code 0 (as Ansible checks them). */
export function sysctlStderrFailed(stderr: string): boolean {
  return /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m.test(stderr);
}
