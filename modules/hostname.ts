import { defineModule, reads, shellQuote } from '../lib/module/kit.js';
import { SBIN_PATH } from '../lib/module/system/accounts.js';

interface Args {
  name: string;
  use?: 'systemd' | 'debian';
}

interface Names {
  systemd: boolean;
  current: string;
  permanent: string;
}

/** The strategy Ansible picks: systemd's hostnamectl when systemd runs the host, else /etc/hostname and `hostname`. */
function look(use: Args['use']) {
  const script = [
    SBIN_PATH,
    use ? `s=${use === 'systemd' ? 1 : 0}` : 'if [ -d /run/systemd/system ]; then s=1; else s=0; fi',
    'echo "S $s"',
    'if [ "$s" = 1 ]; then echo "C $(hostnamectl --transient status)"; echo "P $(hostnamectl --static status)"',
    'else echo "C $(hostname)"; if [ -f /etc/hostname ]; then echo "P $(cat /etc/hostname)"; else echo "P "; fi; fi',
  ].join('\n');
  return reads.command(script, (r): Names => {
    const field = (tag: string) => r.stdout.split('\n').find((l) => l.startsWith(`${tag} `))?.slice(2).trim() ?? '';
    return { systemd: field('S') === '1', current: field('C'), permanent: field('P') };
  });
}

/** The host's FQDN after the change, as Python's socket.getfqdn() finds it: the first name with a dot for the host's address, else the name. */
const FQDN = `n=$(hostname); ip=$(getent hosts "$n" | awk '{print $1; exit}'); f=""; if [ -n "$ip" ]; then for w in $(getent hosts "$ip" | head -n 1 | cut -d' ' -f2-); do case "$w" in *.*) f=$w; break;; esac; done; fi; echo "\${f:-$n}"`;

function facts(name: string, fqdn: string) {
  return { ansible_hostname: name.split('.')[0], ansible_nodename: name, ansible_fqdn: fqdn, ansible_domain: fqdn.split('.').slice(1).join('.') };
}

export default defineModule<Args>({
  name: 'hostname',
  description:
    "Ansible's hostname: sets the host's name, both the running (transient) one and the permanent one, with hostnamectl on a host systemd runs (else /etc/hostname and `hostname`), and only when either differs. Sets the facts ansible_hostname, ansible_nodename, ansible_fqdn and ansible_domain.",
  examples: ['- hostname:\n    name: master-0.example.com'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s]+$', description: 'The new name (at most 64 characters).' },
      use: { enum: ['systemd', 'debian'], description: "The strategy: systemd (hostnamectl) or debian (/etc/hostname); default: systemd when systemd runs the host. Ansible's other strategies are for other systems." },
    },
  },
  reads: (args) => [look(args.use), reads.command(FQDN)],
  async plan(args, ctx) {
    const names = await ctx.host.get(look(args.use));
    const fqdn = await ctx.host.get(reads.command(FQDN));
    const changed = names.current !== args.name || names.permanent !== args.name;
    const before = args.name !== names.current ? names.current : names.permanent;
    const result = { name: args.name, ansible_facts: facts(args.name, fqdn.stdout.trim() || args.name) };
    if (!changed) return { changed, result };
    const diff = { before: `hostname = ${before}\n`, after: `hostname = ${args.name}\n` };
    // Ansible's hostname returns its diff in the result too, with --diff or without.
    return { changed, result: { ...result, diff }, diff: [{ label: 'hostname', ...diff }], state: names.systemd ? 'systemd' : 'file' };
  },
  async apply(args, ctx, plan) {
    const n = shellQuote(args.name);
    const set =
      plan.state === 'systemd'
        ? `hostnamectl --pretty --static set-hostname ${n} && hostnamectl --transient set-hostname ${n}`
        : `printf '%s\\n' ${n} > /etc/hostname && hostname ${n}`;
    const r = await ctx.host.run(`${SBIN_PATH}\n${set} || exit\n${FQDN}`, { allowFailure: true });
    if (r.rc !== 0) return { changed: false, failed: `Command failed rc=${r.rc}, out=${r.stdout.trim()}, err=${r.stderr.trim()}` };
    return { changed: true, result: { name: args.name, ansible_facts: facts(args.name, r.stdout.trim().split('\n').pop() || args.name), diff: plan.result!.diff } };
  },
});
