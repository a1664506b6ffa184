import { defineModule, reads, shellJoin, type ResultData } from '../lib/module/kit.js';

interface Args {
  database: string;
  key?: string;
  service?: string;
  split?: string;
  fail_key: boolean;
}

/** The databases whose fields are split on ':' by default (the others on whitespace). */
const COLON = ['passwd', 'shadow', 'group', 'gshadow'];

function command(args: Args): string {
  return shellJoin(['getent', args.database, ...(args.key !== undefined ? [args.key] : []), ...(args.service !== undefined ? ['-s', args.service] : [])]);
}

/** Python's str.split(sep) (or split() on whitespace runs when sep is undefined). */
function pySplit(line: string, sep: string | undefined): string[] {
  if (sep === undefined) return line.split(/\s+/).filter(Boolean);
  return line.split(sep);
}

export default defineModule<Args>({
  name: 'getent',
  description:
    "Ansible's getent: looks a key (or the whole database) up through the host's NSS (`getent <database> [key]`) and sets the fact `getent_<database>`: each entry's first field mapped to its other fields (a list of lists when a key comes more than once). Changes nothing.",
  examples: ['- getent:\n    database: passwd\n    key: deploy\n- debug: msg="home is {{ getent_passwd.deploy[4] }}"', '- getent:\n    database: group\n    key: docker\n    fail_key: false'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['database'],
    properties: {
      database: { type: 'string', minLength: 1, description: 'passwd, group, shadow, hosts, services, …' },
      key: { type: 'string', description: 'The entry to look up (default: the whole database).' },
      service: { type: 'string', minLength: 1, description: 'The NSS service to ask (getent -s).' },
      split: { type: 'string', minLength: 1, description: "The field separator (default ':' for passwd, shadow, group and gshadow, whitespace for the others)." },
      fail_key: { type: 'boolean', default: true, description: 'Fail when the key is not found (false: the key maps to null).' },
    },
  },
  reads: (args) => [reads.command(command(args))],
  async plan(args, ctx) {
    const r = await ctx.host.get(reads.command(command(args)));
    const split = args.split ?? (COLON.includes(args.database) ? ':' : undefined);
    const tree: Record<string, unknown> = Object.create(null);
    const db = `getent_${args.database}`;
    if (r.rc === 0) {
      const seen = new Map<string, number>();
      for (const line of r.stdout.split(/\r\n|\r|\n/).filter((l, i, a) => i < a.length - 1 || l !== '')) {
        const [first, ...rest] = pySplit(line, split);
        const key = first ?? '';
        const n = seen.get(key) ?? 0;
        if (n === 0) tree[key] = rest;
        else {
          if (n === 1) tree[key] = [tree[key]];
          (tree[key] as unknown[]).push(rest);
        }
        seen.set(key, n + 1);
      }
      return { changed: false, result: { ansible_facts: { [db]: { ...tree } } } };
    }
    if (r.rc === 127) return { changed: false, failed: 'Failed to find required executable "getent" on the host' };
    let msg = 'Unexpected failure!';
    if (r.rc === 1) msg = 'Missing arguments, or database unknown.';
    else if (r.rc === 2) {
      msg = 'One or more supplied key could not be found in the database.';
      if (!args.fail_key) {
        const result: ResultData = { ansible_facts: { [db]: { [args.key ?? 'null']: null } }, msg };
        return { changed: false, result };
      }
    } else if (r.rc === 3) msg = 'Enumeration not supported on this database.';
    return { changed: false, failed: msg };
  },
});
