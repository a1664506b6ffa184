import { defineModule } from '../lib/module/kit.js';
import { gatherRead } from '../lib/module/facts/gather.js';
import { COLLECTED, filterFacts, selectCollectors } from '../lib/module/facts/subsets.js';

interface Args {
  gather_subset?: string | string[];
  filter?: string | string[];
  gather_timeout?: number;
  fact_path?: string;
}

/** Ansible's `type: list` from a string: comma-separated. */
function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const stringOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export default defineModule<Args>({
  name: 'setup',
  description:
    "Gathers facts about the host (what `gather_facts` runs), in one round trip: Ansible's Linux facts for the platform, distribution (with `/etc/debian_version`'s minor version), user, date and time, environment, package and service manager, DNS, network interfaces and default routes, memory, processors, mounts, uptime, and `ansible_local` from fact_path. The user is the become user under become.",
  examples: ['- setup:', '- setup:\n    gather_subset: ["!all", "network"]\n    filter: ["ansible_default_ipv4", "ansible_distribution*"]', '- hosts: all\n  gather_facts: true\n  tasks:\n    - debug: var=ansible_distribution_version'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      gather_subset: { ...stringOrList, description: "Which facts: `all` (the default), `min`, `hardware`, `network`, `virtual`, a collector's name or one of its facts, `!name` to leave one out (a list, or a comma-separated string)." },
      filter: { ...stringOrList, description: 'Keep only the facts whose names match one of these shell patterns (`ansible_distribution*`); the `ansible_` prefix may be left out.' },
      gather_timeout: { type: 'integer', default: 10, description: 'Accepted for Ansible playbooks; the gathering has the task timeout only.' },
      fact_path: { type: 'string', default: '/etc/ansible/facts.d', description: 'Where the `*.fact` files of `ansible_local` are.' },
    },
  },
  async plan(args, { host, warn, vars }) {
    const subsets = list(args.gather_subset);
    const collectors = selectCollectors(subsets);
    const wanted = new Set([...collectors].filter((c) => COLLECTED.has(c)));
    const factPath = args.fact_path ?? '/etc/ansible/facts.d';
    // The inventory's interpreter, when it names one plainly (no template, no `auto`), is the one `ansible_python` describes.
    const interpreter = typeof vars.ansible_python_interpreter === 'string' && /^\/[^\s{}]*$/.test(vars.ansible_python_interpreter) ? vars.ansible_python_interpreter : undefined;
    const { facts, warnings } = await host.get(gatherRead(wanted, factPath, interpreter));
    warnings.forEach((w) => warn(w));
    const prefixed: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(facts)) if (v !== undefined) prefixed[`ansible_${k}`] = v;
    const all = { ...prefixed, gather_subset: subsets.length ? subsets : ['all'], module_setup: true };
    return { changed: false, result: { ansible_facts: filterFacts(all, list(args.filter)) } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
