import { defineModule, ModuleError, reads } from '../lib/module/kit.js';

interface Args {
  manager: string | string[];
  strategy: 'first' | 'all';
}

type Pkg = Record<string, string | number | null>;

/** The managers tsplay reads, in Ansible's order for `auto` (alphabetical: apt before rpm). */
const MANAGERS = ['apt', 'rpm'] as const;

// One command lists every manager's packages; a manager that is not on the host prints nothing.
const PROBE = [
  'export LC_ALL=C',
  "if command -v dpkg-query >/dev/null 2>&1; then echo '--apt'; dpkg --print-architecture; dpkg-query -W -f='${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\t${Section}\\n'; fi",
  "if command -v rpm >/dev/null 2>&1; then echo '--rpm'; rpm -qa --qf '%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\n' 2>/dev/null; fi",
].join('\n');

function parse(stdout: string): Map<string, Pkg[]> {
  const found = new Map<string, Pkg[]>();
  let section = '';
  let native = '';
  for (const line of stdout.split('\n')) {
    if (line === '--apt' || line === '--rpm') {
      section = line.slice(2);
      found.set(section, []);
      native = '';
      continue;
    }
    if (!line) continue;
    if (section === 'apt') {
      if (!native) {
        native = line.trim();
        continue;
      }
      const [status = '', name, version, arch, category = ''] = line.split('\t');
      // Installed in any way but 'not installed' and 'config-files' (python-apt's is_installed).
      if (status[1] === 'n' || status[1] === 'c' || !name) continue;
      const key = arch !== native && arch !== 'all' ? `${name}:${arch}` : name;
      found.get('apt')!.push({ name: key, version, arch, category, origin: '', source: 'apt' });
    } else if (section === 'rpm') {
      const [name, version, release, epoch, arch] = line.split('\t');
      if (!name) continue;
      found.get('rpm')!.push({ name, version, release, epoch: epoch === '(none)' ? null : Number(epoch), arch, source: 'rpm' });
    }
  }
  return found;
}

export default defineModule<Args>({
  name: 'package_facts',
  description:
    "Ansible's package_facts: the installed packages as `ansible_facts.packages`, a name → list of {name, version, arch, source, ...} (apt adds category and origin, rpm release and epoch). Reads dpkg or rpm in one command; changes nothing.",
  examples: ['- package_facts:\n- debug:\n    msg: "etcd {{ ansible_facts.packages[\'etcd-server\'][0].version }}"\n  when: "\'etcd-server\' in ansible_facts.packages"'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      manager: { type: ['string', 'array'], items: { type: 'string' }, default: ['auto'], description: 'auto, apt or rpm (a list: several); auto takes the first the host has.' },
      strategy: { enum: ['first', 'all'], default: 'first', description: 'first: the first manager found; all: every one.' },
    },
  },
  reads: () => [reads.command(PROBE, (r) => parse(r.stdout))],
  async plan(args, ctx) {
    const asked = (Array.isArray(args.manager) ? args.manager : args.manager.split(',')).map((m) => m.trim().toLowerCase());
    const managers = asked.flatMap((m) => (m === 'auto' ? [...MANAGERS] : [m]));
    const unsupported = managers.filter((m) => !(MANAGERS as readonly string[]).includes(m));
    if (unsupported.length) {
      throw new ModuleError(`Unsupported package managers requested: ${unsupported.join(', ')} (tsplay reads apt and rpm; see docs/differences.md)`);
    }
    const found = await ctx.host.get(reads.command(PROBE, (r) => parse(r.stdout)));
    const packages: Record<string, Pkg[]> = {};
    let used = 0;
    for (const m of new Set(managers)) {
      if (used && args.strategy === 'first') break;
      const list = found.get(m);
      if (!list) continue;
      used++;
      for (const p of list) (packages[String(p.name)] ??= []).push(p);
    }
    if (!used) throw new ModuleError(`Could not detect a supported package manager from the following list: [${managers.map((m) => `'${m}'`).join(', ')}], or the required Python library is not installed. Check warnings for details.`);
    return { changed: false, result: { ansible_facts: { packages } } };
  },
});
