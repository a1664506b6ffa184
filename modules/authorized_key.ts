import { defineModule, fileDiff, reads, shellQuote, type ResultData } from '../lib/module/kit.js';
import { parseKey, parseKeys, parseOptions, sameOptions, serialize, type Entry } from '../lib/module/system/authorized-keys.js';
import { parsePasswd, type PasswdEntry } from '../lib/module/system/accounts.js';

interface Args {
  user: string;
  key: string;
  path?: string;
  manage_dir: boolean;
  state: 'present' | 'absent';
  key_options?: string;
  exclusive: boolean;
  comment?: string;
  follow: boolean;
}

interface Found {
  user?: PasswdEntry;
  /** The key file: `path`, or ~user/.ssh/authorized_keys (resolved when follow). */
  file?: string;
  content: string;
  unreadable?: string;
}

interface State {
  file: string;
  after: string;
  uid: number;
  gid: number;
}

/** One read: the user's entry and its key file (path given or ~/.ssh/authorized_keys). */
function lookup(args: Args) {
  const u = shellQuote(args.user);
  const script = [
    `e=$(getent passwd ${u} | head -n 1)`,
    'printf "P %s\\n" "$e"',
    args.path !== undefined ? `f=${shellQuote(args.path)}` : `[ -n "$e" ] || exit 0\nf="$(printf '%s' "$e" | cut -d: -f6)/.ssh/authorized_keys"`,
    args.follow ? 'f=$(realpath -m -- "$f")' : '',
    'printf "F %s\\n" "$f"',
    `if [ -f "$f" ]; then if [ -r "$f" ]; then echo C; base64 < "$f"; else echo 'E Permission denied'; fi; fi`,
  ].join('\n');
  return reads.command(script, (r): Found => {
    const lines = r.stdout.split('\n');
    const found: Found = { content: '' };
    let at = -1;
    lines.forEach((l, i) => {
      if (l.startsWith('P ')) found.user = parsePasswd(l.slice(2));
      else if (l.startsWith('F ') && at < 0) found.file = l.slice(2);
      else if (l.startsWith('E ') && at < 0) found.unreadable = l.slice(2);
      else if (l === 'C' && at < 0) at = i;
    });
    if (at >= 0) found.content = Buffer.from(lines.slice(at + 1).join(''), 'base64').toString('utf8');
    return found;
  });
}

export default defineModule<Args, State>({
  name: 'authorized_key',
  description:
    "ansible.posix's authorized_key: makes sure SSH public keys are in a user's authorized_keys (or `path`), with `key_options` and `comment`, or are not (`state: absent`); `exclusive` removes every other key. Other lines stay as they are; ~/.ssh is made 0700 and the file 0600, owned by the user (`manage_dir`). `--diff` shows the file before and after.",
  examples: [
    "- authorized_key:\n    user: deploy\n    key: \"{{ lookup('file', 'files/deploy.pub') }}\"",
    '- authorized_key:\n    user: root\n    key: "ssh-ed25519 AAAAC3Nza... ops@bastion"\n    key_options: from="10.0.0.0/8",no-agent-forwarding\n    exclusive: true',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['user', 'key'],
    properties: {
      user: { type: 'string', minLength: 1, description: 'Whose keys; the user must exist.' },
      key: { type: 'string', description: 'One or more public keys, one a line (blank lines and # comments are skipped). A URL is not fetched: read it with a lookup.' },
      path: { type: 'string', minLength: 1, description: 'The key file (default ~user/.ssh/authorized_keys).' },
      manage_dir: { type: 'boolean', default: true, description: "Make the key file's directory (0700, owned by the user) when writing." },
      state: { enum: ['present', 'absent'], default: 'present', description: "present: the key is in the user's authorized_keys; absent: it is not." },
      key_options: { type: 'string', description: 'Options put before the key, e.g. `from="10.0.0.0/8",no-pty`.' },
      exclusive: { type: 'boolean', default: false, description: 'Remove every key not given here.' },
      comment: { type: 'string', description: "The key's comment, instead of the one after the key." },
      follow: { type: 'boolean', default: false, description: 'Write the file a symlink at the path points to, not over the link.' },
    },
  },
  reads: (args) => [lookup(args)],
  async plan(args, ctx) {
    if (/^https?:/.test(args.key)) return { changed: false, failed: "a key from a URL is not fetched: read it on the controller (e.g. lookup('url', ...)) and give its text" };
    const found = await ctx.host.get(lookup(args));
    if (!found.user) {
      if (ctx.check && args.path === undefined) return { changed: false, failed: 'Either user must exist or you must provide full path to key file in check mode' };
      if (!ctx.check) return { changed: false, failed: `Failed to lookup user ${args.user}: "getpwnam(): name not found: '${args.user}'"` };
    }
    if (found.unreadable) return { changed: false, failed: `cannot read ${found.file}: ${found.unreadable}` };
    const file = found.file!;
    const before = found.content;
    const existing = parseKeys(before);
    const maxRank = existing.size;
    const keep: string[] = [];
    let write = false;
    const wanted = args.key.split(/\r\n|\r|\n/).filter((s) => s && !s.startsWith('#'));
    for (const [rank, line] of wanted.entries()) {
      const parsed = parseKey(line, rank);
      if (!parsed) return { changed: false, failed: `invalid key specified: ${line}` };
      const key: Entry = { ...parsed, ...(args.key_options !== undefined ? { options: parseOptions(args.key_options) } : {}), ...(args.comment !== undefined ? { comment: args.comment } : {}) };
      const old = existing.get(key.id);
      const same = old !== undefined && old.type === key.type && old.comment === key.comment && sameOptions(old.options, key.options);
      const matched = old !== undefined && (same || args.state !== 'present');
      if (args.state === 'present') {
        keep.push(key.id);
        if (old !== undefined && !same) {
          existing.delete(key.id);
          write = true;
        }
        if (!matched) {
          existing.set(key.id, { ...key, rank: maxRank + key.rank });
          write = true;
        }
      } else if (matched) {
        existing.delete(key.id);
        write = true;
      }
    }
    if (args.state === 'present' && args.exclusive) {
      for (const id of [...existing.keys()]) {
        if (!keep.includes(id)) {
          existing.delete(id);
          write = true;
        }
      }
    }
    const result: ResultData = {
      user: args.user,
      key: args.key,
      path: args.path ?? null,
      manage_dir: args.manage_dir,
      state: args.state,
      key_options: args.key_options ?? null,
      exclusive: args.exclusive,
      comment: args.comment ?? null,
      validate_certs: true,
      follow: args.follow,
      keyfile: file,
    };
    if (!write) return { changed: false, result };
    const after = serialize(existing);
    return { changed: true, result: ctx.check ? {} : result, diff: [fileDiff(file, before, after)], state: { file, after, uid: found.user?.uid ?? 0, gid: found.user?.gid ?? 0 } };
  },
  async apply(args, ctx, plan) {
    const st = plan.state!;
    const dir = st.file.replace(/\/[^/]*$/, '') || '/';
    const owner = `${st.uid}:${st.gid}`;
    if (args.manage_dir) {
      const d = shellQuote(dir);
      await ctx.host.run(`{ [ -e ${d} ] || mkdir -m 0700 -- ${d}; } && chown ${owner} -- ${d} && chmod 0700 -- ${d}`);
    } else await ctx.host.run(`mkdir -p -- ${shellQuote(dir)}`);
    await ctx.host.write(st.file, st.after, { owner: String(st.uid), group: String(st.gid), mode: 0o600 });
    return { changed: true, result: plan.result };
  },
});
