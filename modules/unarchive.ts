import { execFileSync } from 'node:child_process';
import { reportingPathInfo } from '../lib/module/files/path-info.js';
import { defineModule, ModuleError, reads, shellJoin, shellQuote, type PlanContext } from '../lib/module/kit.js';
import { controllerFile, readController } from '../lib/module/files/put-file.js';
import { listArg } from '../lib/module/files/find-tree.js';
import { parseStats, parseUnzipV, parseZipinfo, statScript, weigh } from '../lib/module/files/zip-members.js';

interface Args {
  src: string;
  dest: string;
  remote_src: boolean;
  creates?: string;
  list_files: boolean;
  keep_newer: boolean;
  exclude?: string | string[];
  extra_opts?: string | string[];
}

interface Source {
  /** The archive's bytes, sent on stdin (a controller file), or undefined for a file on the host. */
  bytes?: Buffer;
  /** The path in the result: the controller file, or the file on the host. */
  path: string;
  /** tar's decompression flag: stdin cannot be sniffed by tar, so it is chosen from the magic bytes. */
  flag: string[];
  handler: string;
}

// GNU tar --diff lines that mean "not unarchived", as Ansible's unarchive reads them.
const MISSING_FILE = /: Warning: Cannot stat: No such file or directory$/;
const EMPTY_NAME = /: : Warning: Cannot stat: No such file or directory$/;
const MOD_TIME = /: Mod time differs$/;
const MODE = /: Mode differs$/;
const UID = /: Uid differs$/;
const GID = /: Gid differs$/;
const INVALID = /: Invalid (owner|group)$/;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const NO_UNZIP = "Unable to find required 'unzip' or 'zipinfo' binary in the path on the host: install the unzip package there (apt-get install unzip, yum install unzip)";
/** Between zipinfo's and unzip -v's output. */
const ZIP_SPLIT = '@@tsplay-unzip-v@@';

/** Ansible's handler names (TgzArchive for gzip; TarArchive for the rest, whose compression GNU tar detects), and tar's flag for stdin. */
function kind(head: Buffer): { flag: string[]; handler: string } {
  if (head[0] === 0x1f && head[1] === 0x8b) return { flag: ['-z'], handler: 'TgzArchive' };
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return { flag: ['-j'], handler: 'TarArchive' };
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return { flag: ['-J'], handler: 'TarArchive' };
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return { flag: [], handler: 'ZipArchive' };
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return { flag: [], handler: 'TarArchive' };
  throw new ModuleError('Failed to find handler to unarchive: the file is not a tar archive (tar, tar.gz, tar.bz2, tar.xz) nor a zip archive');
}

/** A controller archive: read here, sent on tar's stdin. */
function controllerSource(args: Args, vars: Readonly<Record<string, unknown>>): Source {
  if (args.src.includes('://')) throw new ModuleError(`src '${args.src}' is a URL: download it with get_url first, then give remote_src: true`);
  const path = controllerFile(args.src, vars, 'files');
  const bytes = readController(path);
  if (!bytes.length) throw new ModuleError(`Invalid archive '${path}', the file is 0 bytes`);
  return { bytes, path, ...kind(bytes) };
}

/** The words shared by the --diff, --list and --extract commands: the archive, compression, excludes, extra_opts. */
function common(args: Args, src: Source): string[] {
  return [...src.flag, '-f', src.bytes ? '-' : args.src, ...listArg(args.exclude).map((e) => `--exclude=${e}`), ...listArg(args.extra_opts), ...(args.keep_newer ? ['--keep-newer-files'] : [])];
}

interface State {
  src: Source;
  result: Record<string, unknown>;
  /** A zip archive: the members left out of unzip (excluded, or newer on the host with keep_newer). */
  zipExcludes?: string[];
}

/** Runs a command on the archive: a controller archive goes to a temp file on the host first (unzip cannot read stdin), removed after. */
function onArchive(src: Source, run: (file: string) => string): string {
  if (!src.bytes) return run(shellQuote(src.path));
  return `t=$(mktemp) || exit 1; cat > "$t"; ${run('"$t"')}; rc=$?; rm -f "$t"; exit $rc`;
}

/** The zip part of plan's script: which programs are missing, then zipinfo -T -s and unzip -v. */
function zipListing(args: Args, src: Source): string {
  const x = listArg(args.exclude);
  const list = (z: string) => `echo ZIP; zipinfo -T -s ${z}${x.length ? ` -x ${shellJoin(x)}` : ''} 2>&1; echo "rc=$?"; echo ${ZIP_SPLIT}; unzip -v ${z} 2>&1`;
  return `if ! command -v unzip >/dev/null 2>&1 || ! command -v zipinfo >/dev/null 2>&1; then echo NOUNZIP; exit 0; fi; ( ${onArchive(src, list)} )`;
}

export default reportingPathInfo(defineModule<Args, State>({
  name: 'unarchive',
  description:
    "Ansible's unarchive for tar archives (tar, tar.gz, tar.bz2, tar.xz) and zip archives: unpacks a controller file (sent to the host on stdin: into GNU tar, or a temp file for unzip) or, with `remote_src`, a file on the host, into the directory `dest`. Idempotent as Ansible: for tar, `tar --diff` against `dest` decides (a missing file, a different modification time or mode means a change); for zip, every member listed by `zipinfo` is compared with the host (missing, type, size, time, CRC-32, mode, owner); `creates` skips it. Zip needs `unzip` and `zipinfo` on the host.",
  examples: [
    '- unarchive:\n    src: etcd-v3.5.9-linux-amd64.tar.gz   # files/ beside the playbook\n    dest: /opt\n    extra_opts: [--strip-components=1]',
    '- unarchive: { src: /tmp/backup.tar.xz, dest: /var/lib/etcd, remote_src: true, creates: /var/lib/etcd/member }',
    '- unarchive: { src: site.zip, dest: /srv/www, exclude: ["*.md"] }',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', minLength: 1, description: 'The archive: on the controller (files/ beside the playbook, or beside it), or on the host with remote_src.' },
      dest: { type: 'string', minLength: 1, description: 'An existing directory on the host to unpack into.' },
      remote_src: { type: 'boolean', default: false, description: 'src is a file on the host.' },
      creates: { type: 'string', description: 'A path on the host: when it exists, the task is skipped.' },
      list_files: { type: 'boolean', default: false, description: "Return the archive's member names as files." },
      keep_newer: { type: 'boolean', default: false, description: 'Leave files newer than the archive member alone (tar --keep-newer-files; for zip, such files are left out of unzip).' },
      exclude: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Members (tar --exclude patterns, unzip -x wildcards) not to unpack or compare.' },
      extra_opts: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'More tar options (e.g. --strip-components=1), or unzip options for a zip archive.' },
    },
  },
  // An archive on the host is checked by a read, in one round trip with dest's attributes.
  reads: (args) => (args.remote_src ? [remoteCheck(args)] : []),
  async plan(args, ctx) {
    const local = args.remote_src ? undefined : controllerSource(args, ctx.vars);
    const r = local ? await ctx.host.run(checkScript(args, local), { stdin: local.bytes, env: { LANG: 'C', LC_ALL: 'C' }, allowFailure: true }) : await ctx.host.get(remoteCheck(args));
    const lines = r.stdout.split('\n');
    if (lines[0] === 'CREATES') return { changed: false, skipped: `skipped, since ${args.creates} exists` };
    if (lines[0] === 'NODIR') return { changed: false, failed: `dest '${args.dest}' must be an existing dir` };
    if (lines[0] === 'MISSING') return { changed: false, failed: `Source '${args.src}' does not exist` };
    let src = local;
    if (!src) {
      const head = Buffer.from(lines[0], 'base64');
      if (!head.length) return { changed: false, failed: `Invalid archive '${args.src}', the file is 0 bytes` };
      src = { path: args.src, flag: [], handler: kind(head).handler };
    }
    const who = { uid: Number(lines[1]), gid: Number(lines[2]) };
    const umask = parseInt(lines[3], 8);
    const result: Record<string, unknown> = { dest: args.dest, src: src.path, handler: src.handler };
    if (lines[4] === 'NOUNZIP') return { changed: false, failed: NO_UNZIP, result };
    if (lines[4] === 'ZIP') return zipPlan(args, ctx, src, lines.slice(5).join('\n'), { ...who, umask }, result);
    const root = lines[1] === '0';
    const diffLines = lines.slice(4);
    const relevant = diffLines.filter((l) => !EMPTY_NAME.test(l) && (MISSING_FILE.test(l) || MOD_TIME.test(l) || MODE.test(l) || INVALID.test(l) || (root && (UID.test(l) || GID.test(l)))));
    const tail = diffLines.filter((l) => /^rc=\d+$/.test(l)).pop();
    const failedRead = diffLines.find((l) => /^tar: .*(not look like a tar archive|Unexpected EOF|Error is not recoverable|unrecognized option|invalid option)/.test(l));
    if (failedRead) return { changed: false, failed: `failed to read ${src.path} with tar: ${failedRead.replace(/^tar: /, '')}` };
    if (args.list_files) result.files = await members(args, ctx, src);
    ctx.log(`tar --diff: ${tail ?? 'no exit code'}, ${relevant.length} difference(s) that matter`);
    return { changed: relevant.length > 0, result, state: { src, result } };
  },
  async apply(args, ctx, plan) {
    const { src, result, zipExcludes } = plan.state!;
    const cmd = zipExcludes
      ? onArchive(src, (z) => `unzip -o ${shellJoin(listArg(args.extra_opts))} ${z}${zipExcludes.length ? ` -x ${shellJoin(zipExcludes)}` : ''} -d ${shellQuote(args.dest)}`)
      : `tar -x ${shellJoin(common(args, src))} -C ${shellQuote(args.dest)}`;
    const r = await ctx.host.run(cmd, { stdin: src.bytes, env: { LANG: 'C', LC_ALL: 'C' }, allowFailure: true });
    const extract_results = { cmd, rc: r.rc, out: r.stdout, err: r.stderr };
    // unzip's exit code 1 is a warning (files unpacked); 2 and up are errors.
    if (zipExcludes ? r.rc > 1 : r.rc !== 0) return { changed: false, failed: `failed to unpack ${src.path} to ${args.dest}: ${(r.stderr.trim() || r.stdout.trim())}`, result: { ...result, extract_results } };
    return { changed: true, result: { ...result, extract_results } };
  },
}), (args) => args.dest);

/** A zip archive's plan: its listing (from plan's script) weighed member by member against the host. */
async function zipPlan(args: Args, ctx: PlanContext, src: Source, out: string, who: { uid: number; gid: number; umask: number }, result: Record<string, unknown>) {
  const [info, unzipV = ''] = out.split(`${ZIP_SPLIT}\n`);
  const rc = Number(/^rc=(\d+)$/m.exec(info)?.[1] ?? '-1');
  // zipinfo's 11: no member matched (all excluded).
  if (rc !== 0 && rc !== 11) return { changed: false, failed: `failed to read ${src.path} with zipinfo: ${info.replace(/^rc=\d+$/m, '').trim()}`, result };
  const listed = parseZipinfo(info, who.umask).filter((m) => !m.path.includes('\n'));
  const crcs = parseUnzipV(unzipV);
  if (args.list_files) result.files = listed.map((m) => m.path);
  const stats = listed.length ? parseStats((await ctx.host.run(statScript(args.dest), { stdin: listed.map((m) => m.path).join('\n') + '\n', env: { LANG: 'C', LC_ALL: 'C' } })).stdout, listed.length) : [];
  const reasons: string[] = [];
  const newer: string[] = [];
  listed.forEach((m, i) => {
    const v = weigh(m, stats[i], crcs.get(m.path), who, args.keep_newer);
    if (v.newer) newer.push(m.path);
    if (v.reason) reasons.push(v.reason);
  });
  ctx.log(`zip: ${listed.length} member(s), ${reasons.length} to unpack${reasons.length ? `: ${reasons.slice(0, 5).join('; ')}` : ''}`);
  return { changed: reasons.length > 0, result, state: { src, result, zipExcludes: [...listArg(args.exclude), ...newer] } };
}

/** The member names, as tar lists them: the controller's tar for a controller file, the host's for remote_src. */
async function members(args: Args, ctx: PlanContext, src: Source): Promise<string[]> {
  const words = ['-t', ...common(args, src).filter((w) => w !== '--keep-newer-files')];
  let out: string;
  if (src.bytes) {
    try {
      out = execFileSync('tar', words, { input: src.bytes, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }).toString('utf8');
    } catch (e) {
      throw new ModuleError(`could not list ${src.path} on the controller: ${(e as Error).message}`);
    }
  } else {
    out = (await ctx.host.run(`tar ${shellJoin(words)}`, { env: { LANG: 'C', LC_ALL: 'C' } })).stdout;
  }
  return out.split('\n').filter((l) => l !== '');
}

/** A file on the host needs no flag: GNU tar detects its compression. Its first bytes name the handler. */
const remoteSource = (args: Args): Source => ({ path: args.src, flag: [], handler: '' });

/**
 * The check, as one command in Ansible's order: creates, dest a directory,
 * the archive on the host, who runs (tar compares owners only as root; zip
 * members must belong to the user), and the archive's own check. `local`: a
 * controller archive, which comes on stdin.
 */
function checkScript(args: Args, local?: Source): string {
  const words = common(args, local ?? remoteSource(args));
  const q = shellQuote(args.src);
  const tarDiff = `tar -d ${shellJoin(words)} -C ${shellQuote(args.dest)} 2>&1; echo "rc=$?"`;
  const archiveCheck = local ? (local.handler === 'ZipArchive' ? zipListing(args, local) : tarDiff) : `if [ "$(head -c 4 < ${q} | od -An -tx1 | tr -d ' \\n')" = 504b0304 ]; then ${zipListing(args, remoteSource(args))}; else ${tarDiff}; fi`;
  return [
    ...(args.creates !== undefined ? [`if [ -e ${shellQuote(args.creates)} ]; then echo CREATES; exit 0; fi`] : []),
    `[ -d ${shellQuote(args.dest)} ] || { echo NODIR; exit 0; }`,
    local ? 'echo' : `if [ ! -r ${q} ]; then echo MISSING; exit 0; fi; head -c 512 < ${q} | base64 -w0; echo`,
    'id -u; id -g; umask',
    archiveCheck,
  ].join('; ');
}

/** checkScript for an archive on the host, as a declared read (in the C locale, as tar's words are matched). */
function remoteCheck(args: Args) {
  return reads.command(`export LANG=C LC_ALL=C; ${checkScript(args)}`);
}
