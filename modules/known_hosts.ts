import { defineModule, reads, shellQuote, type FileDiff, type ResultData } from '../lib/module/kit.js';
import { hashHostKey, normalizeKey, parseFound, sameKey } from '../lib/module/system/known-hosts.js';

interface Args {
  name: string;
  key?: string;
  path: string;
  hash_host: boolean;
  state: 'present' | 'absent';
}

interface Looked {
  path: string;
  exists: boolean;
  content: string;
  /** ssh-keygen -F on the file. */
  rc: number;
  out: string;
  err: string;
  /** ssh-keygen -F on the key alone found the host in it. */
  keyNamesHost: boolean;
  /** `stat` of the file: uid gid owner group mode size. */
  stat?: string;
}

/** The file's attributes, as Ansible adds them to a result that names a path (its `state` is the path's: file or absent). */
function pathInfo(stat: string | undefined): ResultData {
  const f = stat?.split(' ');
  if (!f || f.length < 6) return { state: 'absent' };
  return { state: 'file', uid: Number(f[0]), gid: Number(f[1]), owner: f[2], group: f[3], mode: f[4].padStart(4, '0'), size: Number(f[5]) };
}

const STAT = `stat -c '%u %g %U %G %a %s' -- "$p"`;

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** One read: the file (a leading ~/ is the login user's home), ssh-keygen -F on it, and the key's own host check. */
function look(args: Args) {
  const host = shellQuote(args.name.toLowerCase());
  const p = args.path.startsWith('~/') ? `"$HOME"/${shellQuote(args.path.slice(2))}` : shellQuote(args.path);
  const key = args.key !== undefined ? args.key.replace(/\n?$/, '\n') : undefined;
  const script = [
    `p=${p}`,
    'echo "P $p"',
    `if [ -e "$p" ]; then echo E; echo "S $(${STAT})"; if [ -f "$p" ]; then echo "C $(base64 < "$p" | tr -d "\\n")"; fi`,
    `  f=$(ssh-keygen -F ${host} -f "$p" 2>"$T/kh-err"); echo "R $?"; echo "O $(printf '%s' "$f" | base64 | tr -d "\\n")"; echo "X $(base64 < "$T/kh-err" | tr -d "\\n")"`,
    'fi',
    ...(key !== undefined ? [`printf '%s' ${shellQuote(key)} > "$T/kh-key"`, `if [ -n "$(ssh-keygen -F ${host} -f "$T/kh-key" 2>/dev/null)" ]; then echo K; fi`] : []),
  ].join('\n');
  return reads.command(`T=$(mktemp -d) || exit 1\n${script}\nrm -rf -- "$T"`, (r): Looked => {
    const out: Looked = { path: '', exists: false, content: '', rc: 1, out: '', err: '', keyNamesHost: false };
    for (const l of r.stdout.split('\n')) {
      const rest = l.slice(2);
      if (l.startsWith('P ')) out.path = rest;
      else if (l === 'E') out.exists = true;
      else if (l.startsWith('C ')) out.content = b64(rest);
      else if (l.startsWith('R ')) out.rc = Number(rest);
      else if (l.startsWith('O ')) out.out = b64(rest);
      else if (l.startsWith('X ')) out.err = b64(rest);
      else if (l === 'K') out.keyNamesHost = true;
      else if (l.startsWith('S ')) out.stat = rest;
    }
    return out;
  });
}

/** Python's str.splitlines(keepends=True). */
const linesOf = (s: string) => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];

export default defineModule<Args, string>({
  name: 'known_hosts',
  description:
    "Ansible's known_hosts: makes sure a host's key is in a known_hosts file (default ~/.ssh/known_hosts of the user the task runs as), replacing a different key of the same type, or that the host's key (or all its keys, without `key`) is not there. `hash_host` writes the host name hashed, as `ssh-keygen -H` does. Lookups go through the host's own `ssh-keygen -F`.",
  examples: ['- known_hosts:\n    name: git.example.com\n    key: "git.example.com ssh-ed25519 AAAAC3Nza..."', '- known_hosts:\n    name: old.example.com\n    state: absent\n    path: /etc/ssh/ssh_known_hosts'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'The host (as ssh looks it up: a name, an address, or [name]:port).' },
      key: { type: 'string', description: 'The known_hosts line: `<host> <type> <key>`, the host matching name; needed for state: present.' },
      path: { type: 'string', minLength: 1, default: '~/.ssh/known_hosts', description: 'The file; its directory must exist.' },
      hash_host: { type: 'boolean', default: false, description: 'Write the host name hashed.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the key line is in the file; absent: no line for that host is.' },
    },
  },
  reads: (args) => [look(args)],
  async plan(args, ctx) {
    const host = args.name.toLowerCase();
    if (!args.key && args.state !== 'absent') return { changed: false, failed: 'No key specified when adding a host' };
    const found0 = await ctx.host.get(look(args));
    if (args.key) {
      if (/\S+(\s+)?,(\s+)?/.test(host)) return { changed: false, failed: 'Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.' };
      if (!args.hash_host && !found0.keyNamesHost) return { changed: false, failed: 'Host parameter does not match hashed host field in supplied key' };
    }
    let key = args.key ? (args.hash_host ? hashHostKey(host, args.key) : args.key) : undefined;
    if (key && !key.endsWith('\n')) key += '\n';

    // What ssh-keygen -F found: whether the host is there, and the line of a key of the same type.
    let found = false;
    let replace = false;
    let foundLine: number | undefined;
    if (found0.exists && !(found0.out === '' && found0.err === '' && (found0.rc === 0 || found0.rc === 1))) {
      if (found0.rc !== 0) return { changed: false, failed: `ssh-keygen failed (rc=${found0.rc}, stdout='${found0.out}',stderr='${found0.err}')` };
      found = true;
      if (key) {
        replace = true;
        const wanted = normalizeKey(key)!;
        for (const f of parseFound(found0.out)) {
          const have = normalizeKey(f.text);
          if (!have) continue;
          const want = wanted.host.startsWith('|1|') && have.host.startsWith('|1|') ? { ...wanted, host: have.host } : wanted;
          if (sameKey(want, have)) {
            replace = false;
            foundLine = f.line;
            break;
          }
          if (want.type === have.type) {
            foundLine = f.line;
            break;
          }
        }
        // A found key of the same type that matches: keep its hashed host (do not re-hash).
      }
    }
    const before = found0.content;
    const lines = linesOf(before);
    let after: string;
    if (args.state === 'absent' && !key) {
      // Every key of the host goes (Ansible runs ssh-keygen -R).
      const drop = new Set(parseFound(found0.out).map((f) => f.line));
      after = lines.filter((_l, i) => !drop.has(i + 1)).join('');
    } else {
      const kept = [...lines];
      if ((replace || args.state === 'absent') && foundLine !== undefined && foundLine >= 1 && foundLine <= kept.length) kept.splice(foundLine - 1, 1);
      if (args.state === 'present' && (replace || foundLine === undefined)) kept.push(key!);
      after = kept.join('');
    }
    const changed = args.state === 'absent' && foundLine === undefined && key ? false : replace || (args.state === 'present') !== found;
    const diff: FileDiff[] = changed ? [{ label: found0.path, path: found0.path, before, after, ...(found0.exists ? {} : { beforeLabel: '/dev/null' }) }] : [];
    // Ansible's result always has the file's before and after, whether it changes or not.
    const ansibleDiff = { before_header: found0.exists ? found0.path : '/dev/null', after_header: found0.path, before, after };
    const result: ResultData = { name: args.name, key: args.key ?? null, path: found0.path, hash_host: args.hash_host, state: args.state, ...pathInfo(found0.stat), diff: ansibleDiff };
    // Ansible answers a key that is absent already before it looks at check mode.
    const quiet = ctx.check && !(args.state === 'absent' && foundLine === undefined && key);
    return { changed, diff, result: quiet ? { diff: ansibleDiff } : result, state: after };
  },
  async apply(args, ctx, plan) {
    const path = plan.diff![0].path!;
    await ctx.host.write(path, plan.state!);
    const st = await ctx.host.run(`p=${shellQuote(path)}; ${STAT}`, { allowFailure: true });
    const result = { name: args.name, key: args.key ?? null, path, hash_host: args.hash_host, ...pathInfo(st.rc === 0 ? st.stdout.trim() : undefined), diff: plan.result?.diff };
    return { changed: true, result };
  },
});
