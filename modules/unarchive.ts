import { execFileSync } from 'node:child_process';
import { reportingPathInfo } from '../lib/module/files/path-info.js';
import { defineModule, ModuleError, shellJoin, shellQuote, type PlanContext } from '../lib/module/kit.js';
import { controllerFile, readController } from '../lib/module/files/put-file.js';
import { listArg } from '../lib/module/files/find-tree.js';

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

/** Ansible's handler names (TgzArchive for gzip; TarArchive for the rest, whose compression GNU tar detects), and tar's flag for stdin. */
function kind(head: Buffer): { flag: string[]; handler: string } {
  if (head[0] === 0x1f && head[1] === 0x8b) return { flag: ['-z'], handler: 'TgzArchive' };
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return { flag: ['-j'], handler: 'TarArchive' };
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return { flag: ['-J'], handler: 'TarArchive' };
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw new ModuleError('zip archives are not supported yet: give a tar archive (tar, tar.gz, tar.bz2, tar.xz), or unzip with command');
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return { flag: [], handler: 'TarArchive' };
  throw new ModuleError('Failed to find handler to unarchive: the file is not a tar archive (tar, tar.gz, tar.bz2, tar.xz)');
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
}

export default reportingPathInfo(defineModule<Args, State>({
  name: 'unarchive',
  description:
    "Ansible's unarchive for tar archives (tar, tar.gz, tar.bz2, tar.xz): unpacks a controller file (sent to the host's GNU tar on stdin, no temp file) or, with `remote_src`, a file on the host, into the directory `dest`. Idempotent as Ansible: `tar --diff` against `dest` decides, and a missing file, a different modification time or mode means a change; `creates` skips it. Zip archives are refused (not supported yet).",
  examples: [
    '- unarchive:\n    src: etcd-v3.5.9-linux-amd64.tar.gz   # files/ beside the playbook\n    dest: /opt\n    extra_opts: [--strip-components=1]',
    '- unarchive: { src: /tmp/backup.tar.xz, dest: /var/lib/etcd, remote_src: true, creates: /var/lib/etcd/member }',
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
      keep_newer: { type: 'boolean', default: false, description: 'Leave files newer than the archive member alone (tar --keep-newer-files).' },
      exclude: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Members (tar --exclude patterns) not to unpack or compare.' },
      extra_opts: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'More tar options, e.g. --strip-components=1.' },
    },
  },
  async plan(args, ctx) {
    const local = args.remote_src ? undefined : controllerSource(args, ctx.vars);
    // A file on the host needs no flag: GNU tar detects its compression. Its first bytes name the handler.
    const words = common(args, local ?? { path: args.src, flag: [], handler: '' });
    const q = shellQuote(args.src);
    // One command, in Ansible's order: creates, dest a directory, the archive on the host, who runs
    // (tar compares owners only as root), and tar --diff.
    const script = [
      ...(args.creates !== undefined ? [`if [ -e ${shellQuote(args.creates)} ]; then echo CREATES; exit 0; fi`] : []),
      `[ -d ${shellQuote(args.dest)} ] || { echo NODIR; exit 0; }`,
      local ? 'echo' : `if [ ! -r ${q} ]; then echo MISSING; exit 0; fi; head -c 512 < ${q} | base64 -w0; echo`,
      'id -u',
      `tar -d ${shellJoin(words)} -C ${shellQuote(args.dest)} 2>&1; echo "rc=$?"`,
    ].join('; ');
    const r = await ctx.host.run(script, { stdin: local?.bytes, env: { LANG: 'C', LC_ALL: 'C' }, allowFailure: true });
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
    const root = lines[1] === '0';
    const diffLines = lines.slice(2);
    const relevant = diffLines.filter((l) => !EMPTY_NAME.test(l) && (MISSING_FILE.test(l) || MOD_TIME.test(l) || MODE.test(l) || INVALID.test(l) || (root && (UID.test(l) || GID.test(l)))));
    const tail = diffLines.filter((l) => /^rc=\d+$/.test(l)).pop();
    const failedRead = diffLines.find((l) => /^tar: .*(not look like a tar archive|Unexpected EOF|Error is not recoverable|unrecognized option|invalid option)/.test(l));
    if (failedRead) return { changed: false, failed: `failed to read ${src.path} with tar: ${failedRead.replace(/^tar: /, '')}` };
    const result: Record<string, unknown> = { dest: args.dest, src: src.path, handler: src.handler };
    if (args.list_files) result.files = await members(args, ctx, src);
    ctx.log(`tar --diff: ${tail ?? 'no exit code'}, ${relevant.length} difference(s) that matter`);
    return { changed: relevant.length > 0, result, state: { src, result } };
  },
  async apply(args, ctx, plan) {
    const { src, result } = plan.state!;
    const cmd = `tar -x ${shellJoin(common(args, src))} -C ${shellQuote(args.dest)}`;
    const r = await ctx.host.run(cmd, { stdin: src.bytes, env: { LANG: 'C', LC_ALL: 'C' }, allowFailure: true });
    const extract_results = { cmd, rc: r.rc, out: r.stdout, err: r.stderr };
    if (r.rc !== 0) return { changed: false, failed: `failed to unpack ${src.path} to ${args.dest}: ${r.stderr.trim()}`, result: { ...result, extract_results } };
    return { changed: true, result: { ...result, extract_results } };
  },
}), (args) => args.dest);

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
