import { defineModule, ModuleError, shellJoin, shellQuote, type PlanContext } from '../lib/module/kit.js';

interface Args {
  repo: string;
  dest: string;
  version: string;
  remote: string;
  clone: boolean;
  update: boolean;
  force: boolean;
  depth?: number;
}

interface State {
  exists: boolean;
  /** What to check out: a branch (kept as a local branch at the remote's commit), or a commit (detached). */
  branch?: string;
  sha: string;
  /** A version that ls-remote does not name (a commit id): fetched, then resolved on the host. */
  unresolved?: string;
}

const HEX = /^[0-9a-f]{7,40}$/i;

/** One command: the clone at dest (its HEAD, its remote's URL, whether tracked files are modified) and the remote's refs. */
function lookCommand(args: Args): string {
  const d = shellQuote(args.dest);
  const git = (words: string[]) => shellJoin(['git', '-C', args.dest, ...words]);
  return [
    `if [ -d ${d}/.git ] || [ -f ${d}/HEAD -a -d ${d}/objects ]; then echo EXISTS; ${git(['rev-parse', 'HEAD'])} 2>/dev/null || echo none; ${git(['config', '--get', `remote.${args.remote}.url`])} || echo; if [ -n "$(${git(['status', '--porcelain', '--untracked-files=no'])})" ]; then echo MODIFIED; else echo CLEAN; fi; elif [ -e ${d} ] && [ -n "$(ls -A ${d} 2>/dev/null)" ]; then echo NOTEMPTY; else echo NEW; fi`,
    'echo @@refs',
    `${shellJoin(['git', 'ls-remote', '--symref', args.repo])} 2>&1; echo "rc=$?"`,
  ].join('; ');
}

/** The remote's refs as ls-remote prints them, and the branch its HEAD points to. */
function parseRefs(text: string): { refs: Map<string, string>; headBranch?: string } {
  const refs = new Map<string, string>();
  let headBranch: string | undefined;
  for (const line of text.split('\n')) {
    const sym = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
    if (sym) headBranch = sym[1];
    const m = /^([0-9a-f]{40})\t(\S+)$/.exec(line);
    if (m) refs.set(m[2], m[1]);
  }
  return { refs, headBranch };
}

async function look(args: Args, ctx: PlanContext) {
  const r = await ctx.host.run(lookCommand(args), { allowFailure: true, env: { LANG: 'C', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } });
  if (r.rc === 127 || /git: (command )?not found/.test(r.stderr + r.stdout)) throw new ModuleError('git is not installed on the host: install it, or fetch the code another way (get_url + unarchive)');
  const [local, remote] = r.stdout.split('@@refs\n');
  const lines = local.trim().split('\n');
  const rc = /rc=(\d+)\s*$/.exec(remote ?? '')?.[1];
  if (rc !== '0') throw new ModuleError(`Failed to list the remote refs of ${args.repo}: ${(remote ?? '').replace(/rc=\d+\s*$/, '').trim()}`);
  return { kind: lines[0], before: lines[1] && lines[1] !== 'none' ? lines[1] : null, url: lines[2] ?? '', modified: lines[3] === 'MODIFIED', ...parseRefs(remote) };
}

/** The version to commit id and branch: HEAD (the remote's default branch), a branch, a tag, or a commit id. */
function resolve(args: Args, refs: Map<string, string>, headBranch?: string): { sha: string; branch?: string; unresolved?: string } {
  const v = args.version;
  if (v === 'HEAD') {
    const sha = refs.get('HEAD');
    if (!sha) throw new ModuleError(`the remote ${args.repo} has no HEAD: give version`);
    return { sha, ...(headBranch ? { branch: headBranch } : {}) };
  }
  const branch = refs.get(`refs/heads/${v}`);
  if (branch) return { sha: branch, branch: v };
  const tag = refs.get(`refs/tags/${v}^{}`) ?? refs.get(`refs/tags/${v}`);
  if (tag) return { sha: tag };
  if (HEX.test(v)) return { sha: v.toLowerCase(), unresolved: v };
  throw new ModuleError(`Failed to find the version '${v}' in ${args.repo}: not a branch, a tag or a commit id`);
}

export default defineModule<Args, State>({
  name: 'git',
  description:
    "Ansible's git: a clone of `repo` at `dest`, checked out at `version` (a branch, a tag, a commit id, or HEAD: the remote's default branch). One command looks at the clone and lists the remote's refs (`git ls-remote`), so check mode predicts the change (`before`, `after`); a run clones or fetches and checks out only when the commit differs. Local changes to tracked files fail the task unless `force`. Needs git on the host.",
  examples: ['- git:\n    repo: https://github.com/openshift/openshift-ansible.git\n    dest: /opt/openshift-ansible\n    version: release-3.11\n    depth: 1'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['repo', 'dest'],
    properties: {
      repo: { type: 'string', minLength: 1, description: 'The repository: a URL or a path on the host.' },
      dest: { type: 'string', minLength: 1, description: 'The clone on the host.' },
      version: { type: 'string', default: 'HEAD', description: "A branch, a tag, a commit id, or HEAD (the remote's default branch)." },
      remote: { type: 'string', default: 'origin', pattern: '^[A-Za-z0-9._-]+$', description: 'The name of the remote.' },
      clone: { type: 'boolean', default: true, description: 'false: do not clone a missing dest.' },
      update: { type: 'boolean', default: true, description: 'false: leave an existing clone where it is.' },
      force: { type: 'boolean', default: false, description: 'Discard local changes to tracked files.' },
      depth: { type: 'integer', minimum: 1, description: 'A shallow clone or fetch of this many commits.' },
    },
  },
  async plan(args, ctx) {
    const seen = await look(args, ctx);
    if (seen.kind === 'NOTEMPTY') return { changed: false, failed: `Destination path '${args.dest}' already exists and is not an empty directory.` };
    const exists = seen.kind === 'EXISTS';
    const base = { before: seen.before, remote_url_changed: exists && seen.url !== '' && seen.url !== args.repo };
    if (!exists && !args.clone) return { changed: false, result: { before: null, after: null } };
    if (exists && seen.modified && !args.force) return { changed: false, failed: 'Local modifications exist in the destination: ' + args.dest + ' (force=no).', result: base };
    if (exists && !args.update) return { changed: false, result: { ...base, after: seen.before } };
    const target = resolve(args, seen.refs, seen.headBranch);
    const same = exists && seen.before !== null && (target.unresolved ? seen.before.startsWith(target.sha) : seen.before === target.sha);
    if (same && !seen.modified) return { changed: false, result: { ...base, after: seen.before } };
    return {
      changed: true,
      msg: exists ? `${seen.before?.slice(0, 7)} -> ${target.sha.slice(0, 7)}` : `cloned at ${target.sha.slice(0, 7)}`,
      result: { ...base, after: target.unresolved ? null : target.sha },
      state: { exists, sha: target.sha, ...(target.branch ? { branch: target.branch } : {}), ...(target.unresolved ? { unresolved: target.unresolved } : {}) },
    };
  },
  async apply(args, ctx, plan) {
    const s = plan.state!;
    const env = { LANG: 'C', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
    const git = (words: string[]) => shellJoin(['git', '-C', args.dest, ...words]);
    const depth = args.depth ? [`--depth=${args.depth}`] : [];
    const steps: string[] = [];
    if (!s.exists) {
      steps.push(shellJoin(['git', 'clone', '--quiet', '--origin', args.remote, ...depth, ...(s.branch && !s.unresolved ? ['--branch', s.branch] : []), '--no-checkout', args.repo, args.dest]));
    } else {
      steps.push(git(['remote', 'set-url', args.remote, args.repo]));
    }
    // The commit itself, fetched by id (a tag's or a shallow clone's may not be there yet).
    steps.push(`{ ${git(['fetch', '--quiet', ...depth, '--tags', args.remote, ...(s.unresolved ? [] : [s.sha])])} || ${git(['fetch', '--quiet', '--tags', args.remote])}; }`);
    steps.push(s.branch ? git(['checkout', '--quiet', '--force', '-B', s.branch, s.sha]) : git(['checkout', '--quiet', '--force', '--detach', s.unresolved ?? s.sha]));
    steps.push(git(['rev-parse', 'HEAD']));
    const r = await ctx.host.run(steps.join(' && '), { allowFailure: true, env });
    if (r.rc !== 0) return { changed: false, failed: `git failed on ${args.dest}: ${r.stderr.trim() || r.stdout.trim()}`, result: plan.result };
    const after = r.stdout.trim().split('\n').pop()!;
    return { changed: true, msg: plan.msg, result: { ...plan.result, after } };
  },
});
