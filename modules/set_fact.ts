import { defineModule } from '../lib/module/kit.js';

export default defineModule<Record<string, unknown>>({
  name: 'set_fact',
  description: 'Sets host variables for the rest of the run (they outrank play and inventory variables; only -e outranks them). Runs in check mode too.',
  examples: ['- set_fact:\n    survivor: "{{ groups.etcd[0] }}"\n    removed: []'],
  checkMode: 'always',
  schema: {
    type: 'object',
    minProperties: 1,
    properties: { cacheable: { type: 'boolean', description: 'Accepted for compatibility; facts are not cached between runs.' } },
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  },
  async plan(args) {
    const facts = { ...args };
    delete facts.cacheable;
    // As Ansible's set_fact (jinja2_native off): the text true/false/yes/no, in any case, is a boolean.
    for (const [k, v] of Object.entries(facts)) if (typeof v === 'string' && ['true', 'false', 'yes', 'no'].includes(v.toLowerCase())) Object.defineProperty(facts, k, { value: ['true', 'yes'].includes(v.toLowerCase()), enumerable: true, writable: true, configurable: true });
    return { changed: false, result: { ansible_facts: facts } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
