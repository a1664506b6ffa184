/**
 * What an rpm host has, read in one command: which manager answers (dnf,
 * else yum, as Ansible's yum and dnf modules pick their backend) and, for
 * each package spec of the task, what `rpm -q` finds installed. dnf's
 * plan() decides present/absent from this alone, so a task with nothing to
 * change costs one round trip.
 */
import { shellQuote } from '../kit.js';

/** dnf, yum and rpm speak English to a parser. */
export const RPM_ENV = { LC_ALL: 'C', LANG: 'C' };

export interface InstalledPackage {
  name: string;
  /** `[epoch:]version-release`, as dnf's transaction table writes it. */
  evr: string;
  arch: string;
}

export interface RpmState {
  /** The program that answers: dnf, else yum; '' when the host has neither. */
  manager: '' | 'dnf' | 'yum';
  /** rpm is on the host. */
  hasRpm: boolean;
  /** Per spec as given: the installed packages it matches (none: not installed). */
  installed: Map<string, InstalledPackage[]>;
}

const QUERY_FORMAT = '%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\n';

/** `rpm --root R` when the task has an installroot other than /. */
export function rpmRoot(installroot: string): string {
  return installroot && installroot !== '/' ? ` --root ${shellQuote(installroot)}` : '';
}

/** The one probe command. rpm -q matches name, name-version, name-version-release and name.arch as dnf does for installed packages. */
export function rpmProbe(specs: string[], installroot: string): string {
  const lines = [
    'export LC_ALL=C LANG=C',
    'if command -v dnf >/dev/null 2>&1; then echo "manager dnf"; elif command -v yum >/dev/null 2>&1; then echo "manager yum"; else echo "manager none"; fi',
    'if command -v rpm >/dev/null 2>&1; then echo "rpm yes"; else echo "rpm no"; fi',
  ];
  // rpm -q creates a missing database: where there is none, nothing is installed, and the look must write nothing.
  const root = installroot && installroot !== '/' ? installroot.replace(/\/+$/, '') : '';
  lines.push(`db=${shellQuote(root)}"$(rpm --eval '%_dbpath' 2>/dev/null)"; if [ -d "$db" ] && [ -n "$(ls -A "$db" 2>/dev/null)" ]; then hasdb=1; else hasdb=; fi`);
  for (const s of specs) {
    lines.push(`echo ${shellQuote(`--spec ${s}`)}`, `if [ -n "$hasdb" ]; then rpm${rpmRoot(installroot)} -q --qf '${QUERY_FORMAT}' -- ${shellQuote(s)} 2>/dev/null | grep '\t' || true; fi`);
  }
  lines.push('echo "--end"');
  return lines.join('\n');
}

export function parseRpmProbe(stdout: string, specs: string[]): RpmState {
  const state: RpmState = { manager: '', hasRpm: false, installed: new Map(specs.map((s) => [s, []])) };
  let current: InstalledPackage[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('--spec ')) {
      current = state.installed.get(line.slice('--spec '.length));
      continue;
    }
    if (line === '--end') break;
    const head = /^(manager|rpm) (\S+)$/.exec(line);
    if (head && !current) {
      if (head[1] === 'manager') state.manager = head[2] === 'dnf' || head[2] === 'yum' ? head[2] : '';
      else state.hasRpm = head[2] === 'yes';
      continue;
    }
    const [name, epoch, vr, arch] = line.split('\t');
    if (current && name && vr && arch) current.push({ name, evr: epoch && epoch !== '0' ? `${epoch}:${vr}` : vr, arch });
  }
  return state;
}

/** `name-[epoch:]version-release.arch`, as Ansible's dnf names a package in its results. */
export const nevra = (p: InstalledPackage) => `${p.name}-${p.evr}.${p.arch}`;

export interface TransactionItem {
  action: 'Installed' | 'Removed';
  package: string;
  /** The name alone, to find the installed version an upgrade replaces. */
  name: string;
}

/**
 * The transaction dnf (or yum) prints before it asks (what `--assumeno`
 * shows): its sections (`Installing:`, `Upgrading:`/`Updating:`,
 * `Removing:`, `... dependencies:`) and their rows `name arch version repo
 * size`; a name too long for its column is on a line of its own.
 */
/** A package an upgrade brings: its name, the version and architecture it goes to, and the repository (yum's `changes` name them). */
export interface Upgrade {
  name: string;
  /** `version-release.arch`, as yum check-update prints it. */
  to: string;
  repo: string;
}

export function parseTransaction(stdout: string): { items: TransactionItem[]; upgraded: string[]; upgrades: Upgrade[]; downgraded: string[] } {
  const items: TransactionItem[] = [];
  const upgraded: string[] = [];
  const upgrades: Upgrade[] = [];
  const downgraded: string[] = [];
  let downgrade = false;
  let action: 'Installed' | 'Removed' | undefined;
  let upgrade = false;
  let pending: string[] = [];
  for (const line of stdout.split('\n')) {
    if (/^Transaction Summary/.test(line)) break;
    const header = /^([A-Z][A-Za-z ]*):\s*$/.exec(line);
    if (header) {
      const h = header[1];
      upgrade = /^(Upgrading|Updating)/.test(h) && !/dependencies/.test(h);
      downgrade = /^Downgrading/.test(h);
      action = /^(Install|Upgrad|Updat|Reinstall|Downgrad)/.test(h) ? 'Installed' : /^(Remov|Eras)/.test(h) ? 'Removed' : undefined;
      pending = [];
      continue;
    }
    const tokens = line.trim().split(/\s+/);
    // yum's "replacing name.arch version" lines are not packages of the transaction.
    if (!action || !/^\s+\S/.test(line) || tokens[0] === 'replacing') {
      if (line.trim() === '') pending = [];
      continue;
    }
    pending.push(...tokens);
    // A row is complete once it has name, arch, version and repository (the size follows).
    if (pending.length < 4) continue;
    const [name, arch, evr, repo] = pending;
    pending = [];
    items.push({ action, package: `${name}-${evr}.${arch}`, name });
    if (upgrade) {
      upgraded.push(name);
      upgrades.push({ name, to: `${evr}.${arch}`, repo });
    }
    if (downgrade) downgraded.push(name);
  }
  return { items, upgraded, upgrades, downgraded };
}
