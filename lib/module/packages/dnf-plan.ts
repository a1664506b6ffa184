/**
 * dnf's and yum's decisions (the `dnf` and `yum` modules, and `package` on
 * an rpm host): from one probe (rpm-state.ts), which specs to install,
 * upgrade or remove; then the transaction itself from the host's manager
 * asked with `--assumeno` (it resolves and stops), which is the prediction
 * and the `results` Ansible returns. The host's own program answers: dnf,
 * else yum (RHEL 7); the command lines are ones both accept.
 */
import { defineModule, ModuleError, reads, shellQuote, type ApplyContext, type ApplyResult, type Plan, type PlanContext, type ResultData } from '../kit.js';
import { RPM_ENV, nevra, parseRpmProbe, parseTransaction, rpmProbe, type RpmState, type TransactionItem, type Upgrade } from './rpm-state.js';

export interface DnfArgs {
  name?: string | string[];
  pkg?: string | string[];
  state?: 'present' | 'installed' | 'latest' | 'absent' | 'removed';
  enablerepo?: string | string[];
  disablerepo?: string | string[];
  update_cache?: boolean;
  'expire-cache'?: boolean;
  disable_gpg_check: boolean;
  installroot: string;
  conf_file?: string;
  releasever?: string;
}

export interface DnfWork {
  manager: 'dnf' | 'yum';
  /** Shell commands apply() runs, in order (each a full command line). */
  commands: string[];
  results: string[];
  /** update_cache alone: only the metadata is refreshed. */
  cacheOnly?: boolean;
  /** Ansible's yum `changes`, on a yum host. */
  changes?: ResultData;
}

const CHECK_MSG = 'Check mode: No changes made, but would have if not in check mode';

/** A list argument as Ansible takes it: a list, or a comma-separated string. */
function listOf(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function dnfNames(args: DnfArgs): string[] {
  return listOf(args.name ?? args.pkg);
}

export function dnfRead(args: DnfArgs) {
  const specs = dnfNames(args);
  return reads.command(rpmProbe(specs, args.installroot), (r) => parseRpmProbe(r.stdout, specs));
}

/** Options every command of the task carries, in the order both dnf and yum read them (disable before enable, as Ansible). */
function options(args: DnfArgs): string {
  const o: string[] = [];
  if (args.conf_file) o.push('-c', shellQuote(args.conf_file));
  if (args.installroot && args.installroot !== '/') o.push(shellQuote(`--installroot=${args.installroot}`));
  if (args.releasever) o.push(shellQuote(`--releasever=${args.releasever}`));
  for (const r of listOf(args.disablerepo)) o.push(shellQuote(`--disablerepo=${r}`));
  for (const r of listOf(args.enablerepo)) o.push(shellQuote(`--enablerepo=${r}`));
  if (args.disable_gpg_check) o.push('--nogpgcheck');
  return o.join(' ');
}

/** One command line: dnf refreshes with --refresh; yum expires its cache first. */
function commandLine(manager: 'dnf' | 'yum', opts: string, flags: string, sub: string, refresh: boolean): string {
  const head = `${manager}${opts ? ` ${opts}` : ''}`;
  if (refresh && manager === 'yum') return `${head} clean expire-cache >/dev/null && ${head} ${flags} ${sub}`;
  return `${head}${refresh ? ' --refresh' : ''} ${flags} ${sub}`;
}

/** Packages dnf and yum could not find, as Ansible words them. */
function notFound(out: string): string[] {
  const names = [...out.matchAll(/^No match for argument: (.+)$/gm), ...out.matchAll(/^No package (\S+) available\.$/gm)].map((m) => m[1].trim());
  return [...new Set(names)].map((n) => `No package ${n} available.`);
}

function refuseSpecs(specs: string[]): void {
  for (const s of specs) {
    if (s.startsWith('@')) throw new ModuleError(`name: ${s}: groups and modules (@name) are not supported by tsplay's dnf/yum; install the group's packages by name, or use command: dnf group install; see docs/differences.md`);
    if (s === '*') throw new ModuleError("name: '*' (upgrade every installed package) is not supported by tsplay's dnf/yum; see docs/differences.md");
    if (s.includes('://') || s.endsWith('.rpm')) throw new ModuleError(`name: ${s} is an rpm file or URL; tsplay's dnf/yum installs packages from repositories: use command: dnf install ${s}; see docs/differences.md`);
    if (s.startsWith('/')) throw new ModuleError(`name: ${s}: a file a package provides is not supported by tsplay's dnf/yum; name the package`);
  }
}

export async function dnfPlan(args: DnfArgs, ctx: PlanContext): Promise<Plan<DnfWork>> {
  const specs = dnfNames(args);
  const state = args.state === 'installed' || args.state === undefined ? 'present' : args.state === 'removed' ? 'absent' : args.state;
  const refresh = !!(args.update_cache ?? args['expire-cache']);
  if (!specs.length && !refresh) throw new ModuleError('one of the following is required: name, update_cache');
  refuseSpecs(specs);
  const probe: RpmState = await ctx.host.get(dnfRead(args));
  if (!probe.manager || !probe.hasRpm) throw new ModuleError(`neither dnf nor yum (with rpm) is on ${ctx.host.name}: the dnf and yum modules are for RHEL, CentOS and Fedora hosts (the package module picks the host's manager)`);
  const manager = probe.manager;
  const opts = options(args);

  if (!specs.length) {
    // As Ansible: refreshing the metadata alone is not a change (and check mode leaves the cache as it is).
    const command = commandLine(manager, opts, '-q', 'makecache', true);
    if (!ctx.check) {
      const r = await ctx.host.run(command, { env: RPM_ENV, allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(`Failed to synchronize repodata: ${(r.stderr || r.stdout).trim()}`, { result: { results: [], rc: r.rc } });
    }
    return { changed: false, msg: 'Cache updated', result: { msg: 'Cache updated', results: [], rc: 0 }, state: { manager, commands: [command], results: [], cacheOnly: true } };
  }

  const missing = specs.filter((s) => !probe.installed.get(s)!.length);
  const installed = specs.filter((s) => probe.installed.get(s)!.length);
  const subs: Array<{ verb: string; specs: string[] }> = [];
  if (state === 'absent') {
    // As Ansible's dnf (autoremove: false): the dependencies the packages pulled in stay; dnf's own remove would take them too.
    if (installed.length) subs.push({ verb: '--setopt=clean_requirements_on_remove=0 remove', specs: installed });
  } else {
    if (missing.length) subs.push({ verb: 'install', specs: missing });
    if (state === 'latest' && installed.length) subs.push({ verb: 'update', specs: installed });
  }
  // Ansible's yum (the module a yum host runs, for yum and package alike) says what it changes; its dnf does not.
  const withChanges = (result: ResultData, upgrades: Upgrade[]): ResultData => {
    if (manager !== 'yum') return result;
    const changes = yumChanges(state, missing, installed, upgrades);
    return changes ? { ...result, changes } : result;
  };
  const nothing = { changed: false, result: withChanges({ msg: 'Nothing to do', results: [], rc: 0 }, []) };
  if (!subs.length) return nothing;

  // Ask the manager: --assumeno resolves the transaction, prints it and stops (exit 1, "Operation aborted.").
  const items: TransactionItem[] = [];
  const upgraded: string[] = [];
  const upgrades: Upgrade[] = [];
  const commands: string[] = [];
  for (const sub of subs) {
    let specsLeft = sub.specs;
    // At most twice: a spec that would downgrade is left out (as Ansible's dnf without allow_downgrade), then asked again.
    for (let attempt = 0; attempt < 2 && specsLeft.length; attempt++) {
      const line = `${sub.verb} ${specsLeft.map(shellQuote).join(' ')}`;
      const dry = commandLine(manager, opts, '--assumeno', line, refresh);
      const r = await ctx.host.run(dry, { env: RPM_ENV, allowFailure: true });
      const out = `${r.stdout}\n${r.stderr}`;
      const failures = state === 'absent' ? [] : notFound(out);
      if (failures.length) throw new ModuleError('Failed to install some of the specified packages', { result: { failures, results: [], rc: 1 } });
      const aborted = /^(Operation aborted\.|Exiting on user command)/m.test(out);
      if (r.rc !== 0 && !aborted) throw new ModuleError(`'${dry}' failed: ${(r.stderr || r.stdout).trim()}`, { result: { results: [], rc: r.rc } });
      if (!aborted) break;
      const tr = parseTransaction(r.stdout);
      if (tr.downgraded.length) {
        const older = (spec: string) => tr.downgraded.some((n) => spec === n || spec.startsWith(`${n}-`));
        if (attempt === 0 && specsLeft.some(older)) {
          specsLeft = specsLeft.filter((spec) => !older(spec));
          continue;
        }
      }
      items.push(...tr.items);
      upgraded.push(...tr.upgraded);
      upgrades.push(...tr.upgrades);
      commands.push(commandLine(manager, opts, '-y', line, refresh));
      break;
    }
  }
  if (!items.length) return { ...nothing, result: withChanges(nothing.result, upgrades) };
  // As Ansible's dnf: what the transaction installs, then what it removes (an upgrade removes the old version).
  const replaced = upgraded.flatMap((n) => [...probe.installed.values()].flat().filter((p) => p.name === n)).map((p) => `Removed: ${nevra(p)}`);
  const results = [...new Set([...items.filter((i) => i.action === 'Installed').map((i) => `Installed: ${i.package}`), ...items.filter((i) => i.action === 'Removed').map((i) => `Removed: ${i.package}`), ...replaced])];
  const result = withChanges({ msg: ctx.check ? CHECK_MSG : '', results, rc: 0 }, upgrades);
  return { changed: true, result, state: { manager, commands, results, ...(result.changes ? { changes: result.changes as ResultData } : {}) } };
}

/**
 * What Ansible's yum module (RHEL 7) returns as `changes`: the specs it
 * installs (present) or removes (absent), only when there are some; for
 * latest always, with each upgraded spec and the version, architecture and
 * repository it goes to.
 */
export function yumChanges(state: string, missing: string[], installed: string[], upgrades: Upgrade[]): Record<string, unknown> | undefined {
  if (state === 'absent') return installed.length ? { removed: installed } : undefined;
  if (state !== 'latest') return missing.length ? { installed: missing } : undefined;
  const updated: [string, string][] = [];
  for (const spec of installed) {
    const u = upgrades.find((x) => spec === x.name || spec.startsWith(`${x.name}-`) || spec.startsWith(`${x.name}.`));
    if (u) updated.push([spec, `${u.to} from ${u.repo}`]);
  }
  return { installed: missing, updated };
}

export async function dnfApply(_args: DnfArgs, ctx: ApplyContext, plan: Plan<DnfWork>): Promise<ApplyResult> {
  const work = plan.state!;
  for (const command of work.commands) {
    const r = await ctx.host.run(command, { env: RPM_ENV, allowFailure: true });
    if (r.rc !== 0) throw new ModuleError(`'${command}' failed: ${(r.stderr || r.stdout).trim()}`, { result: { results: [], rc: r.rc, stdout: r.stdout, stderr: r.stderr } });
    ctx.log(`ran: ${command}`);
  }
  return { changed: true, result: { msg: '', results: work.results, rc: 0, ...(work.changes ? { changes: work.changes } : {}) } };
}

/** The schema's properties, shared by dnf and yum. */
export const dnfProperties = {
  name: { type: ['string', 'array'], items: { type: 'string' }, description: 'Packages: a list or a comma-separated string; `name-1.2`, `name-1.2-3` or `name.arch` pick a version or architecture. Alias: pkg.' },
  pkg: { type: ['string', 'array'], items: { type: 'string' }, description: 'Alias of name.' },
  state: { enum: ['present', 'installed', 'latest', 'absent', 'removed'], description: 'present (installed) installs what is missing; latest also upgrades what is installed; absent (removed) removes. Default: present.' },
  enablerepo: { type: ['string', 'array'], items: { type: 'string' }, description: 'Repositories (ids or globs) to enable for this task only.' },
  disablerepo: { type: ['string', 'array'], items: { type: 'string' }, description: 'Repositories (ids or globs) to disable for this task only (applied before enablerepo).' },
  update_cache: { type: 'boolean', description: 'Refresh the repositories\' metadata first (dnf --refresh; yum clean expire-cache). Alias: expire-cache.' },
  'expire-cache': { type: 'boolean', description: 'Alias of update_cache.' },
  disable_gpg_check: { type: 'boolean', default: false, description: 'Install packages without checking their signatures (--nogpgcheck).' },
  installroot: { type: 'string', minLength: 1, default: '/', description: 'The root the packages are installed under (--installroot; rpm --root for the queries).' },
  conf_file: { type: 'string', minLength: 1, description: 'The manager\'s configuration file (-c), instead of /etc/dnf/dnf.conf or /etc/yum.conf.' },
  releasever: { type: 'string', minLength: 1, description: 'The release version ($releasever in repository URLs) to use (--releasever).' },
} as const;

/** dnf and yum: one implementation under Ansible's two names. */
export function dnfModule(name: 'dnf' | 'yum') {
  return defineModule<DnfArgs, DnfWork>({
    name,
    description: `Ansible's ${name === 'dnf' ? 'dnf' : 'yum (the same implementation as dnf)'}: installs (present, latest) or removes (absent) rpm packages from the host's repositories, with the host's dnf (yum where only yum is, as on RHEL 7). Looks in one round trip (rpm -q); a change is resolved by the manager itself with --assumeno, which is also check mode's answer. Results: results (Installed: …, Removed: …), msg, rc, as Ansible's, and on a yum host yum's changes (installed, removed, updated). Like Ansible's, check mode's dry run may refresh the manager's metadata cache and write its log (no package is installed or removed). Tested with dnf 4 (Debian 12's) against an installroot, locally and over SSH; yum (RHEL 7) gets the same command lines (install, update, remove, --assumeno, -c, --installroot, --enablerepo, --disablerepo, --nogpgcheck), which yum 3 accepts, but is not run by the tests.`,
    examples: [
      `- ${name}:\n    name: [etcd, haproxy]\n    state: present`,
      `- ${name}: { name: atomic-openshift-clients, state: latest, enablerepo: rhel-7-server-ose-3.11-rpms }`,
      `- ${name}: { name: telnet, state: absent }`,
    ],
    schema: { type: 'object', additionalProperties: false, properties: dnfProperties },
    reads: (args) => [dnfRead(args)],
    plan: dnfPlan,
    apply: dnfApply,
  });
}
