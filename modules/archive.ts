import { defineModule, ModuleError, shellJoin, shellQuote } from '../lib/module/kit.js';
import { parseMode } from '../lib/module/files/put-file.js';
import { listArg } from '../lib/module/files/find-tree.js';
import { commonPath, expandScript, membersOf, parseExpansion, type Member } from '../lib/module/files/archive-sources.js';

type Format = 'gz' | 'bz2' | 'xz' | 'tar' | 'zip';

interface Args {
  path: string | string[];
  dest?: string;
  format: Format;
  exclude_path?: string | string[];
  exclusion_patterns?: string | string[];
  force_archive: boolean;
  remove: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
}

interface State {
  dest: string;
  root: string;
  members: Member[];
  /** Compress one file (gz, bz2, xz) rather than archive. */
  compress: boolean;
  /** The archive's content changes: build it again. */
  rebuild: boolean;
  /** The sources removed after (remove: true). */
  remove: string[];
  /** The temp directory beside dest holding the archive plan() built and compared: apply() renames it over dest. */
  built?: string;
  /** Permission bits for a new archive (0666 less the umask). */
  newMode: number;
}

const COMPRESSOR: Record<string, string> = { gz: 'gzip', bz2: 'bzip2', xz: 'xz' };
const TAR_FLAG: Record<string, string[]> = { gz: ['-z'], bz2: ['-j'], xz: ['-J'], tar: [] };
const PACKAGE: Record<string, string> = { gzip: 'gzip', bzip2: 'bzip2', xz: 'xz-utils (Debian) or xz (RHEL)', tar: 'tar', zip: 'zip', unzip: 'unzip' };
/** Ansible's is_archive: a file name that says archive rather than compressed file. */
const ARCHIVE_NAME = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2|tzst|zip)$/i;

/** The command that writes the archive to "$OUT" from the member names on stdin, run in the archive root. */
function build(format: Format, compressed: boolean): string {
  if (format === 'zip') return 'zip -q -@ "$OUT"';
  return `tar --no-recursion --null -T - -c ${compressed ? shellJoin(TAR_FLAG[format]) : ''} -f "$OUT"`;
}

/** A sorted listing of an archive's members that changes when Ansible's checksums would: tar headers (name, mode, owners, size, time, link), zip (name, CRC-32). */
function listing(format: Format, file: string): string {
  if (format === 'zip') return `{ unzip -v ${file} 2>&1 | sed -e '1,3d' | sed -e '$d' | sed -e '$d' | sed -E 's/^ *([^ ]+ +){6}//' | sort; }`;
  return `{ tar -tv --full-time -f ${file} 2>&1 | sort; }`;
}

function programs(format: Format, compress: boolean): string[] {
  if (compress) return [COMPRESSOR[format]];
  if (format === 'zip') return ['zip', 'unzip'];
  return format === 'tar' ? ['tar'] : ['tar', COMPRESSOR[format]];
}

export default defineModule<Args, State>({
  name: 'archive',
  description:
    "community.general's archive: packs files and trees on the host into a tar (optionally gz, bz2, xz) or zip archive, or compresses a single file (gz, bz2, xz), with the host's own tar, gzip, bzip2, xz and zip. `path` takes globs; `exclude_path` leaves expanded paths out, `exclusion_patterns` members. Idempotent as Ansible: the archive is rewritten (atomically: a temp file beside `dest`, renamed) only when its members' checksums differ (tar headers, zip CRC-32, the compressed file's content); `remove` deletes the sources after.",
  examples: [
    '- archive:\n    path: /etc/etcd\n    dest: /var/backups/etcd-config.tar.gz',
    '- archive: { path: /var/log/app.log, format: xz }   # /var/log/app.log.xz',
    '- archive:\n    path: [/srv/www/*.html, /srv/www/css]\n    dest: /tmp/site.zip\n    format: zip\n    exclusion_patterns: ["*.map"]',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }], description: 'Files, directories or glob patterns (* and ?) on the host to archive.' },
      dest: { type: 'string', minLength: 1, description: 'The archive to write; needed with several sources, a directory or a glob (default for one file: path plus .format).' },
      format: { enum: ['gz', 'bz2', 'xz', 'tar', 'zip'], default: 'gz', description: 'tar with that compression (gz, bz2, xz), plain tar, or zip; one file is compressed rather than archived unless force_archive.' },
      exclude_path: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Paths or globs taken out of the expanded path list.' },
      exclusion_patterns: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'fnmatch patterns of members to leave out (matched on the name in the archive for tar, the full path for zip).' },
      force_archive: { type: 'boolean', default: false, description: 'Make an archive even of a single file.' },
      remove: { type: 'boolean', default: false, description: 'Remove the sources once archived.' },
      mode: { type: ['string', 'integer'], description: "The archive's permission bits (octal, e.g. '0644')." },
      owner: { type: 'string', description: "The archive's owner." },
      group: { type: 'string', description: "The archive's group." },
    },
  },
  async plan(args, ctx) {
    const given = listArg(args.path);
    const mode = parseMode(args.mode);
    const env = { LANG: 'C', LC_ALL: 'C' };
    const e = parseExpansion((await ctx.host.run(expandScript(given, listArg(args.exclude_path)), { env })).stdout, given);
    const excluded = new Set(e.expandedExcludePaths);
    const paths = [...new Set(e.expandedPaths)].filter((p) => !excluded.has(p)).sort();
    const base = { expanded_paths: e.expandedPaths, expanded_exclude_paths: e.expandedExcludePaths };
    if (!paths.length) return { changed: false, failed: 'Error, no source paths were found', result: base };
    const root = commonPath(paths);
    const mustArchive = args.force_archive || e.globby || e.types.get(paths[0]) === 'd' || paths.length > 1;
    const dest = args.dest ?? (mustArchive ? undefined : `${paths[0]}.${args.format}`);
    if (!dest) return { changed: false, failed: 'Error, must specify "dest" when archiving multiple files or trees', result: base };
    if (args.remove && paths.some((p) => e.types.get(p) === 'd' && dest.startsWith(p.replace(/\/*$/, '/')))) {
      return { changed: false, failed: 'Error, created archive can not be contained in source paths when remove=true', result: base };
    }
    const targets = paths.filter((p) => e.types.get(p) !== 'm');
    const missing = paths.filter((p) => e.types.get(p) === 'm');
    const compress = !mustArchive && args.format !== 'tar' && args.format !== 'zip';
    const members = compress ? [{ path: paths[0], name: paths[0] }] : membersOf(targets, e, root, listArg(args.exclusion_patterns), args.format === 'zip');
    if (args.format === 'zip' && members.some((m) => m.name.includes('\n'))) throw new ModuleError('a source path holds a newline, which zip cannot be given: rename it or use format: tar');

    // The archive is built once, here, and compared with dest. In a real run it is built in a temp directory
    // beside dest and, when it differs, kept for apply() to rename over dest (the same file system, so the
    // rename is atomic); otherwise, and in check mode (which builds under $TMPDIR and writes nothing near
    // dest), the temp directory is removed before the script ends.
    const d = shellQuote(dest);
    const keep = !ctx.check;
    const tempDir = keep ? `mktemp -d ${shellQuote(`${dirOf(dest)}/.tsplay-archive.XXXXXX`)}` : 'mktemp -d';
    const compare = compress
      ? `if [ -e ${d} ] && ${COMPRESSOR[args.format]} -dc < ${d} 2>/dev/null | cmp -s - ${shellQuote(paths[0])}; then echo SAME; else echo DIFF; fi`
      : [
          `if ! t=$(${tempDir} 2>&1); then echo BUILDFAIL; echo "$t"; exit 0; fi`,
          `trap 'rm -rf "$t"' EXIT; OUT="$t/${outName(args.format)}"`,
          `if ! ( ${root ? `cd ${shellQuote(root)} && ` : ''}${build(args.format, true)} ) >"$t/log" 2>&1; then echo BUILDFAIL; cat "$t/log"; exit 0; fi`,
          `rm -f "$t/log"`,
          `if [ -e ${d} ] && [ "$(${listing(args.format, '"$OUT"')})" = "$(${listing(args.format, d)})" ]; then echo SAME; else echo DIFF; ${keep ? 'trap - EXIT; echo "$t"; ' : ''}fi`,
        ].join('\n');
    const script = [
      `for p in ${programs(args.format, compress).join(' ')}; do command -v "$p" >/dev/null 2>&1 || { echo "NOPROG|$p"; exit 0; }; done`,
      `if [ -e ${d} ]; then echo "E|$(stat -c '%a|%U|%G|%u|%g' -- ${d})"; else echo 'E|'; fi`,
      ...(targets.length ? [compare] : []),
    ].join('\n');
    const r = await ctx.host.run(script, { env, stdin: stdinOf(members, args.format), allowFailure: true });
    const lines = r.stdout.split('\n');
    if (lines[0].startsWith('NOPROG|')) {
      const p = lines[0].slice(7);
      return { changed: false, failed: `Unable to find required '${p}' binary in the path on the host: install the ${PACKAGE[p]} package there`, result: base };
    }
    const [, perm, user, grp, uid, gid] = lines[0].split('|');
    const exists = perm !== undefined && perm !== '';
    const result: Record<string, unknown> = { ...base, dest, arcroot: root, missing, archived: [] as string[] };
    if (!targets.length) {
      const state = exists ? (ARCHIVE_NAME.test(dest) ? 'archive' : 'compress') : 'absent';
      return { changed: false, result: { ...result, dest_state: state, state } };
    }
    if (lines[1] === 'BUILDFAIL') return { changed: false, failed: `Errors when writing archive at ${dest}: ${lines.slice(2).join('\n').trim()}`, result };
    const rebuild = lines[1] !== 'SAME';
    const built = rebuild && keep && !compress ? lines[2] : undefined;
    const state = compress ? 'compress' : missing.length ? 'incomplete' : 'archive';
    Object.assign(result, { archived: compress ? [paths[0]] : members.map((m) => m.path), dest_state: state, state });
    const attrs =
      exists &&
      ((mode !== undefined && parseInt(perm, 8) !== mode) || (args.owner !== undefined && args.owner !== user && args.owner !== uid) || (args.group !== undefined && args.group !== grp && args.group !== gid));
    const remove = args.remove ? (compress ? [paths[0]] : targets) : [];
    const changed = rebuild || !!attrs || remove.length > 0;
    ctx.log(`archive ${dest}: ${rebuild ? (exists ? 'members differ' : 'new') : 'members the same'}${attrs ? ', attributes differ' : ''}`);
    return { changed, result, state: { dest, root, members, compress, rebuild, remove, newMode: 0o666 & ~e.umask, ...(built ? { built } : {}) }, msg: changed ? `${dest} ${ctx.check ? 'would be ' : ''}${rebuild ? 'written' : 'updated'}` : undefined };
  },
  async apply(args, ctx, plan) {
    const st = plan.state!;
    const d = shellQuote(st.dest);
    const mode = parseMode(args.mode);
    const lines: string[] = ['set -e'];
    if (st.rebuild) {
      lines.push(
        // The archive plan() built and compared; a compressed single file is written here (its comparison built nothing).
        st.built !== undefined
          ? `td=${shellQuote(st.built)}; trap 'rm -rf "$td"' EXIT; OUT="$td/${outName(args.format)}"`
          : `td=$(mktemp -d ${shellQuote(`${dirOf(st.dest)}/.tsplay-archive.XXXXXX`)}); trap 'rm -rf "$td"' EXIT; OUT="$td/${outName(args.format)}"`,
        ...(st.built !== undefined ? [] : [st.compress ? `${COMPRESSOR[args.format]} -c < ${shellQuote(st.members[0].path)} > "$OUT"` : `( ${st.root ? `cd ${shellQuote(st.root)} && ` : ''}${build(args.format, true)} )`]),
        `if [ -e ${d} ]; then chmod --reference=${d} "$OUT"; chown --reference=${d} "$OUT" 2>/dev/null || true; else chmod ${st.newMode.toString(8)} "$OUT"; fi`,
        `mv -f "$OUT" ${d}`,
      );
    }
    if (mode !== undefined) lines.push(`chmod ${mode.toString(8)} ${d}`);
    if (args.owner !== undefined || args.group !== undefined) lines.push(`chown ${shellQuote(`${args.owner ?? ''}${args.group !== undefined ? `:${args.group}` : ''}`)} ${d}`);
    if (st.remove.length) lines.push(`rm -rf -- ${shellJoin(st.remove)}`);
    const r = await ctx.host.run(lines.join('\n'), { env: { LANG: 'C', LC_ALL: 'C' }, stdin: st.built !== undefined ? undefined : stdinOf(st.members, args.format), allowFailure: true });
    if (r.rc !== 0) return { changed: false, failed: `Errors when writing archive at ${st.dest}: ${(r.stderr || r.stdout).trim()}`, result: plan.result };
    return { changed: true, result: plan.result };
  },
});

/** The directory dest is written in, where its temp archive is made. */
const dirOf = (dest: string) => (dest.includes('/') ? dest.slice(0, dest.lastIndexOf('/')) || '/' : '.');

/** The temp archive's name: zip adds .zip to a name without it. */
const outName = (format: Format) => (format === 'zip' ? 'new.zip' : 'new');

/** The member names for tar (NUL-separated) or zip -@ (a line each). */
function stdinOf(members: Member[], format: Format): string {
  return format === 'zip' ? members.map((m) => `${m.name}\n`).join('') : members.map((m) => `${m.name}\0`).join('');
}
