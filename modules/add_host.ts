import { defineModule, ModuleError, parseAddress, TsplayError } from '../lib/module/kit.js';
import { pythonTypeName } from '../lib/module/files/formats.js';

type Args = Record<string, unknown>;

/** The arguments that are not host variables (Ansible 2.14 keeps `host` and `group` as variables too). */
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

function first(args: Args, keys: string[]): unknown {
  for (const k of keys) if (Object.hasOwn(args, k) && args[k] !== undefined && args[k] !== null) return args[k];
  return undefined;
}

/** `groups` as Ansible reads it: a list, or a comma-separated string; each name stripped, repeats dropped. */
function groupList(raw: unknown): string[] {
  if (raw === undefined || raw === '') return [];
  let list: unknown[];
  if (Array.isArray(raw)) list = raw;
  else if (typeof raw === 'string') list = raw.split(',');
  else throw new ModuleError('Groups must be specified as a list.');
  const out: string[] = [];
  for (const g of list) {
    const name = String(g).trim();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** `add_host: "{{ spec }}"`: the template's mapping, under the arguments written beside it. */
function withRawMapping(given: Args): Args {
  if (!Object.hasOwn(given, '_raw_params')) return given;
  const { _raw_params: raw, ...rest } = given;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ModuleError(`Invalid raw parameters passed, requires a dictonary/mapping got a  <class '${pythonTypeName(raw)}'>`);
  }
  const out: Args = {};
  for (const [k, v] of [...Object.entries(raw as Args), ...Object.entries(rest)]) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * What the task asks for; the engine adds the host to the run's inventory
 * (lib/engine/dynamic-inventory.ts) and decides `changed` from what is new.
 */
export default defineModule<Args>({
  name: 'add_host',
  description:
    "Adds a host (and its groups and variables) to the run's inventory, for the later plays of the run. Runs once per play (for the first host), or once per loop item, and runs in check mode too. `changed` when the host, a group membership or a variable is new.",
  examples: [
    '- add_host:\n    name: "{{ survivor }}"\n    groups: [survivor]\n    ansible_host: "{{ hostvars[survivor].ansible_host }}"',
    '- add_host:\n    name: "{{ item }}"\n    groups: members_to_remove\n  loop: "{{ removed }}"',
    '- add_host: name=10.0.0.9:2222 groups=new_masters,etcd',
  ],
  checkMode: 'always',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'The host to add, optionally with `:port` (then the variable ansible_ssh_port is set). Aliases: hostname, host.' },
      hostname: { type: 'string', description: 'Alias of name.' },
      host: { type: 'string', description: 'Alias of name (Ansible also keeps it as a host variable).' },
      groups: { type: ['string', 'array'], items: { type: 'string' }, description: 'Groups to add the host to: a list or a comma-separated string. Aliases: groupname, group.' },
      groupname: { type: ['string', 'array'], items: { type: 'string' }, description: 'Alias of groups.' },
      group: { type: ['string', 'array'], items: { type: 'string' }, description: 'Alias of groups (Ansible also keeps it as a host variable).' },
      _raw_params: { description: 'Set by `add_host: "{{ spec }}"`: the whole mapping of arguments from one template.' },
    },
    additionalProperties: { description: 'Any other argument becomes a variable of the host (ansible_host, ansible_connection, ...).' },
  },
  async plan(given, ctx) {
    const args = withRawMapping(given);
    const named = first(args, ['name', 'hostname', 'host']);
    if (named === undefined) {
      throw new TsplayError('validation', 'name, host or hostname needs to be provided', { pos: ctx.task.pos, hint: 'name the host to add with name: (or hostname:, host:)' });
    }
    const text = String(named);
    const address = parseAddress(text, false);
    const hostName = address ? address.host : text;
    const hostVars: Args = {};
    if (address?.port) args.ansible_ssh_port = address.port;
    for (const [k, v] of Object.entries(args)) if (!SPECIAL.has(k)) Object.defineProperty(hostVars, k, { value: v, enumerable: true, writable: true, configurable: true });
    const groups = groupList(first(args, ['groupname', 'groups', 'group']));
    return { changed: false, result: { add_host: { host_name: hostName, groups, host_vars: hostVars } } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
