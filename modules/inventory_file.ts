import { copyFile, constants, readFile, realpath, stat } from 'node:fs/promises';
import { defineModule, ModuleError } from '../lib/module/kit.js';
import { addChildGroup, addHost, moveHost, removeHost, type HostVars } from '../lib/module/files/formats.js';
import { writeControllerFile } from '../lib/module/files/controller-write.js';

interface Args {
  path: string;
  host: string;
  groups: string[];
  state: 'present' | 'absent';
  vars?: HostVars;
  move_from?: string;
  parent_groups?: string[];
  backup: boolean;
}

interface State {
  before: string;
  after: string;
}

/** Ansible's backup name: `<path>.<pid>.<YYYY-MM-DD@HH:MM:SS>~`. */
function backupName(path: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${path}.${process.pid}.${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}~`;
}

/**
 * Atomic on the controller, keeping the old mode. A symlinked inventory is
 * edited where it points, as lineinfile edits a symlink's target.
 */
async function writeAtomic(path: string, text: string): Promise<void> {
  const real = await realpath(path);
  await writeControllerFile(real, text, (await stat(real)).mode & 0o7777);
}

export default defineModule<Args, State>({
  name: 'inventory_file',
  description:
    "Adds a host to groups of an Ansible INI inventory on the controller, moves it there from another group with its line's variables, or removes it, keeping comments, layout and the host's other variables: the documents' \"update the inventory\" steps (and openshift-ansible's hand-over of a host between [new_etcd] and [etcd]). A host listed through a range (`master[1:3].example.com`, as openshift-ansible's example inventory writes masters and etcd) is taken out by writing the range's other hosts one per line, with the line's variables; a host a range already lists is not added again. The host the task runs for is not touched.",
  examples: [
    '- name: The inventory follows the cluster\n  inventory_file:\n    path: /etc/ansible/hosts\n    host: master-2.example.com\n    groups: [masters, etcd, nodes]\n    state: absent\n    backup: true\n  run_once: true',
    '- inventory_file:\n    path: inventories/prod/hosts\n    host: master-3.example.com\n    groups: [etcd]\n    vars:\n      etcd_ip: 192.168.55.14',
    '- name: A down etcd host waits in [new_etcd], with its ansible_host and openshift_ip\n  inventory_file:\n    path: /etc/ansible/hosts\n    host: etcd-2.example.com\n    groups: [new_etcd]\n    move_from: etcd\n    parent_groups: [OSEv3]',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'host', 'groups'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The INI inventory file on the controller.' },
      host: { type: 'string', minLength: 1, description: 'The host name as the inventory lists it.' },
      groups: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'The groups to add it to or remove it from.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the host is in the group; absent: it is not.' },
      vars: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: "Variables on the host's line (present only); others it has stay." },
      move_from: { type: 'string', minLength: 1, description: "present only: the group the host leaves, its line (variables and comment) going to each of `groups`; a group that already lists it gains the variables its line lacks. A host this group does not list is added as without it." },
      parent_groups: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'present only: groups that list each of `groups` as a child ([PARENT:children], appended when missing), as openshift-ansible wants [new_etcd] under [OSEv3:children].' },
      backup: { type: 'boolean', default: false, description: 'Keep a copy of the old file beside it first.' },
    },
  },
  async plan(args) {
    if (args.state === 'absent' && args.vars) throw new ModuleError('state: absent takes no vars');
    if (args.state === 'absent' && (args.move_from !== undefined || args.parent_groups?.length)) throw new ModuleError('state: absent takes no move_from or parent_groups (they say where the host goes)');
    if (args.move_from !== undefined && args.groups.includes(args.move_from)) throw new ModuleError(`move_from: ${args.move_from} is also in groups: the host cannot leave a group it is put in`);
    let before: string;
    try {
      before = await readFile(args.path, 'utf8');
    } catch (e) {
      throw new ModuleError(`cannot read the inventory ${args.path}: ${(e as Error).message}`);
    }
    let after = before;
    try {
      for (const g of args.groups) {
        if (args.state === 'absent') {
          after = removeHost(after, g, args.host);
          continue;
        }
        for (const parent of args.parent_groups ?? []) after = addChildGroup(after, parent, g);
        // Moved to the first group, then copied from there: the line leaves move_from once.
        if (args.move_from !== undefined) after = g === args.groups[0] ? moveHost(after, args.move_from, g, args.host) : moveHost(after, args.groups[0]!, g, args.host, true);
        after = addHost(after, g, args.host, args.vars);
      }
    } catch (e) {
      throw new ModuleError(`${args.path}: ${(e as Error).message}`);
    }
    const changed = after !== before;
    // No `path` in the diff: the file is on the controller, not on the task's host.
    return { changed, ...(changed ? { diff: [{ label: `${args.path} (controller)`, before, after }] } : {}), result: { path: args.path }, state: { before, after } };
  },
  async apply(args, _ctx, plan) {
    const { before, after } = plan.state!;
    if ((await readFile(args.path, 'utf8')) !== before) throw new ModuleError(`${args.path} changed while the task ran; run it again`);
    let backup: string | undefined;
    if (args.backup) {
      backup = backupName(args.path);
      // COPYFILE_EXCL: never through something already at the backup's name.
      await copyFile(args.path, backup, constants.COPYFILE_EXCL);
    }
    await writeAtomic(args.path, after);
    return { changed: true, result: { ...plan.result, ...(backup ? { backup_file: backup } : {}) } };
  },
});
