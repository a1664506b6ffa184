/**
 * What apt knows about a set of packages, read in one command: the host's
 * clock, the age of the package lists, dpkg's status of each package and
 * apt's version table (apt-cache policy). apt's plan() decides from this
 * alone, so a task with nothing to change costs one round trip.
 */
import { globToRegExp } from '../../inventory/patterns.js';
import { shellQuote } from '../kit.js';

/** apt's own files: the stamp apt-get update leaves, else the lists folder (Ansible's order). */
const UPDATE_STAMP = '/var/lib/apt/periodic/update-success-stamp';
const LISTS = '/var/lib/apt/lists';

/** apt and dpkg speak English to a parser, and never ask. */
export const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', DEBIAN_PRIORITY: 'critical', LC_ALL: 'C', LANG: 'C' };

export interface AptPackage {
  name: string;
  /** dpkg's status says installed (`ii`, `hi`, ...). */
  installed: boolean;
  /** The installed version ('' when not installed). */
  version: string;
  /** Removed but its configuration files are left (`rc`): a purge still has work to do. */
  configFiles: boolean;
  /** apt's candidate, undefined when none. */
  candidate?: string;
  /** Every version apt knows, newest first. */
  versions: string[];
  /** apt-cache policy knows the name at all. */
  known: boolean;
}

export interface AptState {
  /** The host's clock, seconds since the epoch. */
  now: number;
  /** When the package lists were last updated (Ansible's cache_update_time); 0 when never. */
  cacheTime: number;
  packages: Map<string, AptPackage>;
  /** A .deb file's Package and Version fields (deb:), undefined when not asked. */
  deb?: { exists: boolean; name?: string; version?: string; arch?: string };
  /** `apt-get -s autoremove` found packages to remove (autoremove without names). */
  autoremoveWork?: string[];
  /** apt-get is on the host. */
  hasApt: boolean;
}

/** The one probe command: everything plan() needs. */
export function aptProbe(names: string[], opts: { deb?: string; autoremove?: boolean; purge?: boolean }): string {
  const q = names.map(shellQuote).join(' ');
  const lines = [
    'export LC_ALL=C LANG=C',
    'echo "now $(date +%s)"',
    `if [ -e ${UPDATE_STAMP} ]; then echo "cache $(stat -c %Y ${UPDATE_STAMP})"; elif [ -e ${LISTS} ]; then echo "cache $(stat -c %Y ${LISTS})"; else echo "cache 0"; fi`,
    'if command -v apt-get >/dev/null 2>&1; then echo "apt yes"; else echo "apt no"; fi',
  ];
  if (names.length) {
    lines.push('echo "--dpkg"', `dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- ${q} 2>/dev/null`);
    lines.push('echo "--policy"', `apt-cache policy -- ${q} 2>/dev/null`);
  }
  if (opts.deb) {
    const d = shellQuote(opts.deb);
    lines.push('echo "--deb"', `if [ -f ${d} ]; then dpkg-deb -f ${d} Package Version Architecture 2>/dev/null; else echo "Missing: yes"; fi`);
  }
  if (opts.autoremove) lines.push('echo "--autoremove"', `apt-get -s${opts.purge ? ' --purge' : ''} autoremove 2>/dev/null | sed -n 's/^Remv \\([^ ]*\\).*/\\1/p'`);
  lines.push('echo "--end"');
  return lines.join('\n');
}

/** Reads the probe's output back. */
export function parseAptProbe(stdout: string, names: string[]): AptState {
  const state: AptState = { now: 0, cacheTime: 0, packages: new Map(), hasApt: false };
  for (const n of names) state.packages.set(n, { name: n, installed: false, version: '', configFiles: false, versions: [], known: false });
  let section = 'head';
  let current: AptPackage | undefined;
  let inTable = false;
  for (const line of stdout.split('\n')) {
    if (/^--(dpkg|policy|deb|autoremove|end)$/.test(line)) {
      section = line.slice(2);
      if (section === 'autoremove') state.autoremoveWork = [];
      if (section === 'deb') state.deb = { exists: true };
      continue;
    }
    if (section === 'head') {
      const m = /^(now|cache|apt) (\S+)$/.exec(line);
      if (m?.[1] === 'now') state.now = Number(m[2]);
      if (m?.[1] === 'cache') state.cacheTime = Math.floor(Number(m[2]));
      if (m?.[1] === 'apt') state.hasApt = m[2] === 'yes';
    } else if (section === 'dpkg') {
      const [name, status = '', version = ''] = line.split('\t');
      const p = state.packages.get(name);
      if (!p) continue;
      // db:Status-Abbrev: desired action, then status (i installed, c config-files, ...), then error flag.
      p.installed = status[1] === 'i';
      p.configFiles = status[1] === 'c';
      p.version = p.installed ? version : '';
    } else if (section === 'policy') {
      const head = /^(\S+):$/.exec(line);
      if (head) {
        current = state.packages.get(head[1]);
        if (current) current.known = true;
        inTable = false;
        continue;
      }
      if (!current) continue;
      const cand = /^ {2}Candidate: (.+)$/.exec(line);
      if (cand) current.candidate = cand[1] === '(none)' ? undefined : cand[1];
      if (/^ {2}Version table:/.test(line)) inTable = true;
      const ver = inTable ? /^ (?:\*\*\*| {3}) (\S+) -?\d+$/.exec(line) : null;
      if (ver && !current.versions.includes(ver[1])) current.versions.push(ver[1]);
    } else if (section === 'deb' && state.deb) {
      const m = /^(Package|Version|Architecture|Missing): (.*)$/.exec(line);
      if (m?.[1] === 'Package') state.deb.name = m[2];
      if (m?.[1] === 'Version') state.deb.version = m[2];
      if (m?.[1] === 'Architecture') state.deb.arch = m[2];
      if (m?.[1] === 'Missing') state.deb.exists = false;
    } else if (section === 'autoremove' && line) state.autoremoveWork!.push(line);
  }
  return state;
}

/** `name`, `name=version` (a shell pattern, as Ansible's fnmatch), `name>=version`. */
export interface PackageSpec {
  spec: string;
  name: string;
  op?: '=' | '>=';
  version?: string;
}

export function parseSpec(spec: string): PackageSpec {
  const m = /^(.*?)(>?=)(.*)$/s.exec(spec.trim());
  if (!m) return { spec, name: spec.trim() };
  return { spec, name: m[1], op: m[2] as '=' | '>=', version: m[3] };
}

export function versionMatches(version: string, pattern: string): boolean {
  return globToRegExp(pattern).test(version);
}
