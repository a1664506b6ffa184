import { defineModule, shellJoin, shellQuote, type ResultData } from '../lib/module/kit.js';
import { findGroup, outputKeys, parsePasswd, readAccounts, type Accounts, type PasswdEntry, SBIN_PATH } from '../lib/module/system/accounts.js';
import { homeDirScript, looksUnhashed } from '../lib/module/system/user-home.js';

interface Args {
  name: string;
  state: 'present' | 'absent';
  uid?: number;
  non_unique: boolean;
  group?: string;
  groups?: string[] | string | null;
  append: boolean;
  comment?: string;
  home?: string;
  move_home: boolean;
  shell?: string;
  password?: string;
  update_password: 'always' | 'on_create';
  create_home: boolean;
  skeleton?: string;
  system: boolean;
  remove: boolean;
  force: boolean;
}

interface State {
  /** The shell script that makes the change (commands joined with &&). */
  script: string;
  /** The user is created: read its entry back for the result. */
  creates: boolean;
}

/** The groups argument as Ansible's comma-joined string (undefined: not given). */
function groupsString(g: Args['groups']): string | undefined {
  if (g === undefined || g === null) return undefined;
  return (Array.isArray(g) ? g : [g]).map(String).join(',');
}

function groupSet(s: string): string[] {
  return [...new Set(s.split(',').map((x) => x.trim()).filter((x) => x))];
}

function entryKeys(u: PasswdEntry): ResultData {
  return { uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell };
}

const MARK = '@@tsplay-user-entry ';

/**
 * Sets the password hash through chpasswd's standard input (printf is the
 * shell's own): the hash is never on a command line, where `ps` shows it to
 * every user of the host (Ansible passes it to useradd/usermod -p).
 */
function setHash(name: string, hash: string): string {
  return `printf '%s\\n' ${shellQuote(`${name}:${hash}`)} | chpasswd -e`;
}

export default defineModule<Args, State>({
  name: 'user',
  description:
    "Ansible's user: makes sure a local account exists with the given uid, primary group, supplementary groups (`append` adds to them), comment, home, shell and password hash, or that it does not exist (`state: absent`, `remove` deletes its home too). Runs useradd, usermod and userdel as Ansible does, and only when something differs. The result has Ansible's keys (`uid`, `group`, `home`, `shell`, ...); the password is never shown.",
  examples: [
    '- user:\n    name: deploy\n    uid: 1050\n    groups: [wheel, docker]\n    append: true\n    shell: /bin/bash',
    '- user:\n    name: olduser\n    state: absent\n    remove: true',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[^:,\\s]+$', description: 'The account name.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the account exists as given (useradd or usermod); absent: it does not (userdel).' },
      uid: { type: 'integer', minimum: 0, description: 'The user ID (default: the next free one when the account is made).' },
      non_unique: { type: 'boolean', default: false, description: 'Allow a uid another user has (useradd -o).' },
      group: { type: 'string', minLength: 1, description: 'The primary group, by name or gid; it must exist.' },
      groups: { type: ['array', 'string', 'null'], items: { type: 'string' }, description: 'Supplementary groups (a list or a comma-separated string); each must exist. Without `append` the user ends up in exactly these; `[]` or "" removes all.' },
      append: { type: 'boolean', default: false, description: 'Add the user to `groups`, leaving its other groups.' },
      comment: { type: 'string', description: 'The GECOS field.' },
      home: { type: 'string', minLength: 1, description: 'The home directory.' },
      move_home: { type: 'boolean', default: false, description: 'With a new `home`, move the old one there (usermod -m).' },
      shell: { type: 'string', minLength: 1, description: 'The login shell (default: the one useradd gives).' },
      password: { type: 'string', description: "The password as a crypt hash (e.g. from the password_hash filter), never in clear; compared with shadow's." },
      update_password: { enum: ['always', 'on_create'], default: 'always', description: 'on_create: set `password` only when creating the user.' },
      create_home: { type: 'boolean', default: true, description: 'Create the home directory (when creating the user, or when it is missing).' },
      skeleton: { type: 'string', minLength: 1, description: 'The skeleton directory copied into a new home (default /etc/skel).' },
      system: { type: 'boolean', default: false, description: 'Create a system account (useradd -r); an existing user is left as it is.' },
      remove: { type: 'boolean', default: false, description: 'With state: absent, remove the home directory and mail spool too (userdel -r).' },
      force: { type: 'boolean', default: false, description: 'With state: absent, remove the user even when logged in (userdel -f).' },
    },
  },
  reads: (args) => [readAccounts(args.name, args.home)],
  async plan(args, ctx) {
    const acc: Accounts = await ctx.host.get(readAccounts(args.name, args.home));
    const base: ResultData = { name: args.name, state: args.state };
    const groups = groupsString(args.groups);
    if (args.password !== undefined && looksUnhashed(args.password)) {
      ctx.warn("The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly.");
    }

    if (args.state === 'absent') {
      if (!acc.user) return { changed: false, result: base };
      const cmd = ['userdel', ...(args.force ? ['-f'] : []), ...(args.remove ? ['-r'] : []), args.name];
      return { changed: true, result: {}, state: { script: shellJoin(cmd), creates: false } };
    }

    // Ansible's check mode reports a user to be made as a change before it looks at the groups.
    if (!acc.user && ctx.check) return { changed: true, result: {} };
    const missing = [args.group, ...(groups !== undefined ? groupSet(groups) : [])].filter((g): g is string => g !== undefined && !findGroup(acc.groups, g));
    if (missing.length) return { changed: false, failed: `Group ${missing[0]} does not exist` };
    const secret = args.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {};

    if (!acc.user) {
      const cmd = ['useradd'];
      if (args.uid !== undefined) cmd.push('-u', String(args.uid), ...(args.non_unique ? ['-o'] : []));
      if (args.group !== undefined) cmd.push('-g', args.group);
      // A group named after the user already exists: useradd must not try to create it (USERGROUPS_ENAB).
      else if (findGroup(acc.groups, args.name)) cmd.push('-N');
      if (groups) cmd.push('-G', groupSet(groups).join(','));
      if (args.comment !== undefined) cmd.push('-c', args.comment);
      if (args.home !== undefined) cmd.push('-d', args.home);
      if (args.shell !== undefined) cmd.push('-s', args.shell);
      if (args.create_home) cmd.push('-m', ...(args.skeleton !== undefined ? ['-k', args.skeleton] : []));
      else cmd.push('-M');
      if (args.system) cmd.push('-r');
      cmd.push(args.name);
      const parent = args.home !== undefined && args.create_home && !acc.homeParentExists ? `mkdir -p -- "$(dirname -- ${shellQuote(args.home)})" && ` : '';
      const password = args.password !== undefined ? ` && ${setHash(args.name, args.password)}` : '';
      return { changed: true, result: {}, state: { script: parent + shellJoin(cmd) + password, creates: true } };
    }

    const u = acc.user;
    const cmd = ['usermod'];
    const after: PasswdEntry = { ...u };
    if (args.uid !== undefined && u.uid !== args.uid) {
      cmd.push('-u', String(args.uid), ...(args.non_unique ? ['-o'] : []));
      after.uid = args.uid;
    }
    if (args.group !== undefined) {
      const g = findGroup(acc.groups, args.group)!;
      if (g.gid !== u.gid) {
        cmd.push('-g', String(g.gid));
        after.gid = g.gid;
      }
    }
    if (groups !== undefined) {
      // Membership as Ansible counts it: every group listing the user as a member, the primary one included.
      const current = acc.groups.filter((g) => g.members.includes(args.name)).map((g) => g.name);
      const wanted = groupSet(groups).map((g) => findGroup(acc.groups, g)!.name);
      const differs = [...wanted.filter((g) => !current.includes(g)), ...(args.append ? [] : current.filter((g) => !wanted.includes(g)))];
      if (differs.length) cmd.push(...(args.append ? ['-a'] : []), '-G', wanted.join(','));
    }
    if (args.comment !== undefined && u.comment !== args.comment) {
      cmd.push('-c', args.comment);
      after.comment = args.comment;
    }
    if (args.home !== undefined && u.home !== args.home) {
      cmd.push('-d', args.home, ...(args.move_home ? ['-m'] : []));
      after.home = args.home;
    }
    if (args.shell !== undefined && u.shell !== args.shell) {
      cmd.push('-s', args.shell);
      after.shell = args.shell;
    }
    const newHash = args.password !== undefined && args.update_password === 'always' && acc.hash.replace(/^!+/, '') !== args.password.replace(/^!+/, '');

    const steps: string[] = [];
    if (cmd.length > 1) steps.push(shellJoin([...cmd, args.name]));
    if (newHash) steps.push(setHash(args.name, args.password!));
    // Ansible makes a missing home directory (unless moved there by usermod -m just now).
    const homeMoved = args.home !== undefined && u.home !== args.home && args.move_home;
    if (!acc.homeExists && args.create_home && !homeMoved) steps.push(homeDirScript(after.home, after.uid, after.gid, args.skeleton));
    const current: ResultData = { ...base, append: args.append, move_home: args.move_home, ...entryKeys(u), ...(groups !== undefined ? { groups } : {}), ...secret };
    if (!steps.length) return { changed: false, result: current };
    return {
      changed: true,
      result: current,
      state: { script: steps.join(' && '), creates: false },
    };
  },
  async apply(args, ctx, plan) {
    const st = plan.state!;
    const groups = groupsString(args.groups);
    const r = await ctx.host.run(`${SBIN_PATH}\n${st.script}\nrc=$?\nprintf '%s%s\\n' ${shellQuote(MARK)} "$rc"\ngetent passwd ${shellQuote(args.name)}\nexit 0`, { allowFailure: true });
    const at = r.stdout.lastIndexOf(MARK);
    const tail = at >= 0 ? r.stdout.slice(at + MARK.length).split('\n') : [];
    const rc = at >= 0 ? Number(tail[0]) : r.rc;
    const out = { stdout: at >= 0 ? r.stdout.slice(0, at) : r.stdout, stderr: r.stderr };
    if (rc !== 0) return { changed: false, failed: out.stderr.trim() || `the change of user ${args.name} failed (rc ${rc})`, result: { name: args.name, rc } };
    if (args.state === 'absent') return { changed: true, result: { name: args.name, state: 'absent', force: args.force, remove: args.remove, ...outputKeys(out) } };
    const entry = parsePasswd(tail[1] ?? '');
    if (!entry) return { changed: false, failed: out.stderr.trim() || `the user ${args.name} could not be changed`, result: { name: args.name } };
    const kind = st.creates ? { system: args.system, create_home: args.create_home } : { append: args.append, move_home: args.move_home };
    return {
      changed: true,
      result: {
        name: args.name,
        state: 'present',
        ...kind,
        ...outputKeys(out),
        ...(args.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
        ...entryKeys(entry),
        ...(groups !== undefined ? { groups } : {}),
      },
    };
  },
});
