/**
 * apt's decisions, shared by `apt` and `package` (on a Debian host): from
 * one probe of the host (apt-state.ts), which packages to install or remove
 * and with which apt-get command line, as Ansible's apt module decides.
 */
import { ModuleError, reads, shellQuote, type ApplyContext, type ApplyResult, type Plan, type PlanContext, type ResultData } from '../kit.js';
import { APT_ENV, aptProbe, parseAptProbe, parseSpec, versionMatches, type AptState, type PackageSpec } from './apt-state.js';

export interface AptArgs {
  name?: string | string[];
  pkg?: string | string[];
  package?: string | string[];
  state: 'present' | 'absent' | 'latest' | 'fixed';
  update_cache?: boolean;
  cache_valid_time: number;
  deb?: string;
  autoremove: boolean;
  purge: boolean;
  install_recommends?: boolean;
  force: boolean;
  allow_unauthenticated: boolean;
  allow_downgrade: boolean;
  allow_change_held_packages: boolean;
  only_upgrade: boolean;
  dpkg_options: string;
  lock_timeout: number;
}

export interface AptWork {
  updateCache: boolean;
  /** apt-get's arguments after `apt-get`, or none when only the cache is updated. */
  command?: string;
  /** Names apt-mark marks as installed by hand after an install (Ansible does). */
  markManual: string[];
  /** Which result keys Ansible returns on this path. */
  cacheKeys: boolean;
}

/** The package names of the task: name, pkg or package (Ansible's aliases), a list or a comma-separated string. */
export function aptNames(args: AptArgs): string[] {
  const given = args.name ?? args.pkg ?? args.package;
  if (given === undefined) return [];
  const list = Array.isArray(given) ? given : given.split(',');
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

export function aptRead(args: AptArgs) {
  const names = [...new Set(aptNames(args).map((s) => parseSpec(s).name))];
  return reads.command(aptProbe(names, { deb: args.deb, autoremove: args.autoremove && names.length === 0 && !args.deb, purge: args.purge }), (r) => parseAptProbe(r.stdout, names));
}

function dpkgOptions(args: AptArgs): string {
  return args.dpkg_options
    .split(',')
    .filter(Boolean)
    .map((o) => `-o ${shellQuote(`Dpkg::Options::=--${o.trim()}`)}`)
    .join(' ');
}

function commonTail(args: AptArgs): string {
  let s = ` -o DPkg::Lock::Timeout=${args.lock_timeout}`;
  if (args.install_recommends === false) s += ' -o APT::Install-Recommends=no';
  if (args.install_recommends === true) s += ' -o APT::Install-Recommends=yes';
  if (args.allow_unauthenticated) s += ' --allow-unauthenticated';
  if (args.allow_downgrade) s += ' --allow-downgrades';
  if (args.allow_change_held_packages) s += ' --allow-change-held-packages';
  return s;
}

const line = (name: string, version: string) => `${name} ${version || '(not installed)'}\n`;

/** What one spec asks of the host, as Ansible's package_status and install() decide. */
function installTarget(spec: PackageSpec, state: AptState, args: AptArgs): string | undefined {
  const p = state.packages.get(spec.name)!;
  if (!p.known && !p.installed) throw new ModuleError(`No package matching '${spec.name}' is available`);
  // The best version: a pinned pattern picks the newest version it matches, as apt's 1001 pin does.
  const best = spec.op === '=' ? p.versions.find((v) => versionMatches(v, spec.version!)) : p.candidate;
  const versionInstalled = p.installed && (spec.op === '=' ? versionMatches(p.version, spec.version!) : true);
  let installable: string | undefined;
  if (!p.installed) installable = best;
  else if (best && p.version !== best) installable = best;
  if (p.installed === false && args.only_upgrade) return undefined;
  if (!versionInstalled && !installable) throw new ModuleError(`no available installation candidate for ${spec.spec}`);
  const upgrade = args.state === 'latest';
  if (installable && (!p.installed || upgrade || !versionInstalled)) return spec.op === '=' ? `${spec.name}=${installable}` : spec.name;
  return undefined;
}

export async function aptPlan(args: AptArgs, ctx: PlanContext): Promise<Plan<AptWork>> {
  const specs = aptNames(args);
  if (args.deb && specs.length) throw new ModuleError('parameters are mutually exclusive: deb|package');
  if (!specs.length && !args.deb && !args.update_cache && !args.autoremove) {
    throw new ModuleError('one of the following is required: autoremove, deb, package, update_cache, upgrade');
  }
  if (args.deb && args.state !== 'present') throw new ModuleError('deb only supports state=present');
  if (args.deb?.includes('://')) throw new ModuleError(`deb: ${args.deb} is a URL; tsplay's apt installs a .deb file already on the host: fetch it first (get_url, copy)`);
  if (specs.includes('*')) throw new ModuleError("name: '*' (upgrade every installed package) is not supported by tsplay's apt; see docs/differences.md");
  for (const s of specs) {
    if ((s.match(/=/g) ?? []).length > 1) throw new ModuleError(`invalid package spec: ${s}`);
    if (parseSpec(s).op === '>=') throw new ModuleError(`${s}: a minimum version (>=) is not supported by tsplay's apt; pin a version with = (a pattern: name=1.2*)`);
  }
  const state = await ctx.host.get(aptRead(args));
  if (!state.hasApt) throw new ModuleError(`apt-get is not on ${ctx.host.name}: the apt module is for Debian and Ubuntu hosts (the package module picks the host's manager)`);

  const wantsCache = !!args.update_cache || args.cache_valid_time > 0;
  const updateCache = wantsCache && !(state.cacheTime + args.cache_valid_time >= state.now);
  const cacheResult = { cache_updated: updateCache, cache_update_time: state.cacheTime };
  const work: AptWork = { updateCache, markManual: [], cacheKeys: true };

  // As Ansible: with a cache update asked for and nothing else to do, the task ends there (autoremove included).
  if (wantsCache && !specs.length && !args.deb) {
    return { changed: updateCache, result: cacheResult, state: work };
  }

  const dpkg = dpkgOptions(args);
  const force = args.force ? ' --force-yes' : '';
  const before: string[] = [];
  const after: string[] = [];

  if (args.deb) {
    const deb = state.deb!;
    if (!deb.exists) throw new ModuleError(`Unable to install package: ${args.deb} does not exist on the host`);
    if (!deb.name || !deb.version) throw new ModuleError(`Unable to install package: ${args.deb} is not a Debian package (dpkg-deb cannot read its Package and Version)`);
    const installed = await ctx.host.get(reads.command(`LC_ALL=C dpkg-query -W -f='\${db:Status-Abbrev}\\t\${Version}' -- ${shellQuote(deb.name)} 2>/dev/null`));
    const [status = '', version = ''] = installed.stdout.split('\t');
    if (status[1] === 'i' && version === deb.version && !args.force) return { changed: updateCache, result: {}, state: work };
    const path = args.deb.startsWith('/') ? args.deb : `./${args.deb}`;
    work.command = `-y ${dpkg}${force}${commonTail(args)} install ${shellQuote(path)}`;
    work.cacheKeys = false;
    before.push(line(deb.name, status[1] === 'i' ? version : ''));
    after.push(line(deb.name, deb.version));
  } else if (!specs.length) {
    // autoremove alone.
    const gone = state.autoremoveWork ?? [];
    work.cacheKeys = false;
    if (!gone.length) return { changed: false, result: {}, state: work };
    work.command = `-y ${dpkg}${force}${args.purge ? ' --purge' : ''} -o DPkg::Lock::Timeout=${args.lock_timeout} autoremove`;
    for (const n of gone) before.push(line(n, 'installed'));
  } else if (args.state === 'absent') {
    work.cacheKeys = false;
    const remove: string[] = [];
    for (const spec of specs.map(parseSpec)) {
      const p = state.packages.get(spec.name)!;
      const versionInstalled = p.installed && (spec.op === '=' ? versionMatches(p.version, spec.version!) : true);
      if (versionInstalled || (args.purge && (p.configFiles || p.installed))) {
        remove.push(spec.spec);
        before.push(line(p.name, p.version || (p.configFiles ? '(configuration files)' : '')));
        after.push(line(p.name, ''));
      }
    }
    if (!remove.length) return { changed: updateCache, result: {}, state: work };
    work.command = `-q -y ${dpkg}${args.purge ? ' --purge' : ''}${force}${args.autoremove ? ' --auto-remove' : ''} -o DPkg::Lock::Timeout=${args.lock_timeout} remove ${remove.map(shellQuote).join(' ')}`;
  } else {
    const install: string[] = [];
    for (const spec of specs.map(parseSpec)) {
      const target = installTarget(spec, state, args);
      if (!target) continue;
      install.push(target);
      const p = state.packages.get(spec.name)!;
      before.push(line(p.name, p.version));
      after.push(line(p.name, target.includes('=') ? target.slice(target.indexOf('=') + 1) : (p.candidate ?? '')));
    }
    work.markManual = specs.map((s) => parseSpec(s).name);
    if (!install.length) return { changed: updateCache, result: cacheResult, state: work };
    const fixed = args.state === 'fixed' ? ' --fix-broken' : '';
    const onlyUpgrade = args.only_upgrade ? ' --only-upgrade' : '';
    work.command = `-y ${dpkg}${onlyUpgrade}${fixed}${force}${args.autoremove ? ' --auto-remove' : ''}${commonTail(args)} install ${install.map(shellQuote).join(' ')}`;
  }

  const result: ResultData = work.cacheKeys ? { ...cacheResult } : {};
  // Check mode asks apt-get itself (--simulate changes nothing): its answer and its refusals are the real run's.
  if (ctx.check && !updateCache) {
    const sim = await ctx.host.run(`apt-get --simulate ${work.command}`, { env: APT_ENV, allowFailure: true });
    if (sim.rc !== 0) throw new ModuleError(`'apt-get ${work.command}' failed: ${sim.stderr.trim()}`, { result: { stdout: sim.stdout, stderr: sim.stderr, rc: sim.rc } });
    Object.assign(result, outputOf(sim));
  }
  return {
    changed: true,
    result,
    state: work,
    diff: before.length || after.length ? [{ label: 'packages', before: before.join(''), after: after.join('') }] : undefined,
  };
}

/** stdout and stderr with their lines, as Ansible returns a command's output. */
function outputOf(r: { stdout: string; stderr: string }): ResultData {
  const lines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  return { stdout: r.stdout, stderr: r.stderr, stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr) };
}

/** The cache's age after an update (the stamp apt-get update leaves, else the lists folder). */
const CACHE_TIME = `if [ -e /var/lib/apt/periodic/update-success-stamp ]; then stat -c %Y /var/lib/apt/periodic/update-success-stamp; else stat -c %Y /var/lib/apt/lists; fi`;

export async function aptApply(_args: AptArgs, ctx: ApplyContext, plan: Plan<AptWork>): Promise<ApplyResult> {
  const work = plan.state!;
  const result: ResultData = { ...(plan.result ?? {}) };
  if (work.updateCache) {
    const r = await ctx.host.run(`apt-get update && { ${CACHE_TIME}; }`, { env: APT_ENV, allowFailure: true });
    if (r.rc !== 0) throw new ModuleError(`Failed to update apt cache: ${(r.stderr || r.stdout).trim() || 'unknown reason'}`, { result: { rc: r.rc } });
    const lines = r.stdout.trim().split('\n');
    if (work.cacheKeys) Object.assign(result, { cache_updated: true, cache_update_time: Number(lines[lines.length - 1]) });
  }
  if (work.command) {
    const r = await ctx.host.run(`apt-get ${work.command}`, { env: APT_ENV, allowFailure: true });
    if (r.rc !== 0) throw new ModuleError(`'apt-get ${work.command}' failed: ${r.stderr.trim()}`, { result: { stdout: r.stdout, stderr: r.stderr, rc: r.rc } });
    Object.assign(result, outputOf(r));
    if (work.markManual.length) {
      const m = await ctx.host.run(['apt-mark', 'manual', ...work.markManual], { env: APT_ENV, allowFailure: true });
      if (m.rc !== 0) throw new ModuleError(`'apt-mark manual ${work.markManual.join(' ')}' failed: ${m.stderr.trim()}`, { result: { rc: m.rc } });
    }
  }
  ctx.log(`ran: apt-get ${work.command ?? 'update'}`);
  return { changed: true, result };
}

/** The schema's properties, shared with `package`. */
export const aptProperties = {
  name: { type: ['string', 'array'], items: { type: 'string' }, description: 'Packages: a list or a comma-separated string; `name=1.2*` pins a version (a shell pattern). Aliases: pkg, package.' },
  pkg: { type: ['string', 'array'], items: { type: 'string' }, description: 'Alias of name.' },
  package: { type: ['string', 'array'], items: { type: 'string' }, description: 'Alias of name.' },
  state: { enum: ['present', 'absent', 'latest', 'fixed'], default: 'present', description: 'latest upgrades to the candidate; fixed adds --fix-broken.' },
  update_cache: { type: 'boolean', description: 'Run apt-get update first (unless the lists are younger than cache_valid_time). Alias: update-cache.' },
  cache_valid_time: { type: 'integer', minimum: 0, default: 0, description: 'Seconds the package lists stay fresh: an update runs only when they are older.' },
  deb: { type: 'string', minLength: 1, description: 'A .deb file on the host to install (with its dependencies).' },
  autoremove: { type: 'boolean', default: false, description: 'Remove packages nothing needs any more.' },
  purge: { type: 'boolean', default: false, description: 'With state: absent (or autoremove), remove configuration files too.' },
  install_recommends: { type: 'boolean', description: 'Install recommended packages (unset: the host\'s apt default). Alias: install-recommends.' },
  force: { type: 'boolean', default: false, description: 'apt-get --force-yes (dangerous: installs what apt would refuse).' },
  allow_unauthenticated: { type: 'boolean', default: false, description: 'Install packages that cannot be authenticated.' },
  allow_downgrade: { type: 'boolean', default: false, description: 'Allow a pinned version older than the installed one.' },
  allow_change_held_packages: { type: 'boolean', default: false, description: 'Allow changing held packages.' },
  only_upgrade: { type: 'boolean', default: false, description: 'Only upgrade packages already installed; install none.' },
  dpkg_options: { type: 'string', default: 'force-confdef,force-confold', description: 'dpkg options, comma-separated, each passed as -o Dpkg::Options::=--OPTION.' },
  lock_timeout: { type: 'integer', minimum: 0, default: 60, description: 'Seconds to wait for the dpkg lock.' },
  'update-cache': { type: 'boolean', description: 'Alias of update_cache.' },
  'install-recommends': { type: 'boolean', description: 'Alias of install_recommends.' },
  'allow-unauthenticated': { type: 'boolean', description: 'Alias of allow_unauthenticated.' },
  'allow-downgrade': { type: 'boolean', description: 'Alias of allow_downgrade.' },
  'allow-downgrades': { type: 'boolean', description: 'Alias of allow_downgrade.' },
  allow_downgrades: { type: 'boolean', description: 'Alias of allow_downgrade.' },
} as const;

/** Ansible's dashed aliases, folded into their names before anything else looks. */
export function foldAptAliases(args: Record<string, unknown>): void {
  for (const [dashed, name] of [['update-cache', 'update_cache'], ['install-recommends', 'install_recommends'], ['allow-unauthenticated', 'allow_unauthenticated'], ['allow-downgrade', 'allow_downgrade'], ['allow-downgrades', 'allow_downgrade'], ['allow_downgrades', 'allow_downgrade']]) {
    if (args[dashed] !== undefined) args[name] = args[dashed];
    delete args[dashed];
  }
}
