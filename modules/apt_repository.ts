import { defineModule, fileDiff, ModuleError } from '../lib/module/kit.js';
import { parseMode } from '../lib/module/files/put-file.js';
import { APT_ENV } from '../lib/module/packages/apt-state.js';
import { dumpSources, parseSourceLine, parseSourcesFile, parseSourcesOnHost, READ_SOURCES, suggestFilename, type SourceLine } from '../lib/module/packages/apt-sources.js';

interface Args {
  repo: string;
  state: 'present' | 'absent';
  mode?: string | number;
  update_cache: boolean;
  update_cache_retries: number;
  update_cache_retry_max_delay: number;
  filename?: string;
  install_python_apt: boolean;
  validate_certs: boolean;
  codename?: string;
}

interface Change {
  path: string;
  /** The file as it is (null: not there), put back if apt-get update fails. */
  original: string | null;
  /** As Ansible shows it in --diff: the file's lines rewritten, or '' when it holds no source lines. */
  before: string;
  /** The new text, or null to remove the file (its last line gone). */
  after: string | null;
  /** A line was added to it: `mode` applies. */
  added: boolean;
}

export default defineModule<Args, Change[]>({
  name: 'apt_repository',
  description:
    "Ansible's apt_repository for one-line `deb`/`deb-src` entries: adds the line (to `<filename>.list`, by default named after the repository's host and path, under apt's sources.list.d; a disabled copy anywhere is enabled instead) or removes it from every sources file, then runs `apt-get update` (update_cache, with retries; the files are put back if it fails). Files are written as Ansible writes them (whitespace collapsed, `# ` for disabled lines); `--diff` shows each file. Needs no python-apt on the host; PPAs (`ppa:`) are refused.",
  examples: [
    "- apt_repository:\n    repo: deb [arch=amd64] https://download.docker.com/linux/debian bookworm stable\n    filename: docker   # /etc/apt/sources.list.d/docker.list",
    "- apt_repository: { repo: 'deb http://deb.example.org/debian stable main', state: absent, update_cache: false }",
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['repo'],
    properties: {
      repo: { type: 'string', description: 'The sources line, e.g. `deb http://host/debian stable main` (PPAs are not supported).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the line is in a sources file, enabled; absent: it is in none.' },
      mode: { type: ['string', 'integer'], description: "Permission bits (octal) of the file a line is added to (default: 0644 for a new file, an existing file's otherwise)." },
      update_cache: { type: 'boolean', default: true, description: 'Run apt-get update after a change.' },
      update_cache_retries: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'How many times apt-get update is tried.' },
      update_cache_retry_max_delay: { type: 'integer', minimum: 0, maximum: 3600, default: 12, description: 'The longest wait, in seconds, between tries (the waits double from 1s).' },
      filename: { type: 'string', minLength: 1, description: 'The file name under sources.list.d, without .list (default: made from the repository URL); with a / it is a path.' },
      install_python_apt: { type: 'boolean', default: true, description: 'Accepted for compatibility: tsplay needs no python-apt on the host.' },
      validate_certs: { type: 'boolean', default: true, description: "Accepted for compatibility: it concerns PPA key downloads, which tsplay does not do." },
      codename: { type: 'string', description: 'Accepted for compatibility: Ansible uses it for PPAs only.' },
    },
  },
  async plan(args, ctx) {
    if (!args.repo) return { changed: false, failed: "Please set argument 'repo' to a non-empty value" };
    if (args.repo.startsWith('ppa:')) throw new ModuleError(`PPA repositories ('${args.repo}') are not supported: give the deb line the PPA stands for (deb https://ppa.launchpadcontent.net/OWNER/NAME/ubuntu CODENAME main) and its signing key with get_url`);
    parseMode(args.mode);
    const parsed = parseSourceLine(args.repo);
    if (!parsed.valid || !parsed.enabled) return { changed: false, failed: `Invalid repository string: ${parsed.line}` };
    const source = parsed.source;
    const host = parseSourcesOnHost((await ctx.host.run(READ_SOURCES, { env: APT_ENV })).stdout);
    if (!host) return { changed: false, failed: 'Module apt_repository is not supported on target: apt-config is not there (not a Debian or Ubuntu host).' };
    const files = new Map<string, SourceLine[]>([...host.files].map(([p, text]) => [p, parseSourcesFile(text)]));
    // Ansible's dump: a file without lines counts as no file.
    const before = new Map([...files].map(([p, l]) => [p, l.length ? dumpSources(l) : null]));
    const added = new Set<string>();
    if (args.state === 'present') {
      let found = false;
      for (const lines of files.values()) {
        for (const l of lines) {
          if (l.valid && l.source === source) {
            l.enabled = true;
            found = true;
          }
        }
      }
      if (!found) {
        const name = suggestFilename(source, args.filename);
        const path = name.includes('/') ? name : `${host.sourceparts}/${name}`;
        if (!files.has(path)) files.set(path, []);
        files.get(path)!.push({ valid: true, enabled: true, source, comment: parsed.comment });
        added.add(path);
      }
    } else {
      for (const [p, lines] of files) files.set(p, lines.filter((l) => !(l.valid && l.enabled && l.source === source)));
    }
    const changes: Change[] = [];
    for (const [path, lines] of files) {
      const after = lines.length ? dumpSources(lines) : null;
      const was = before.get(path) ?? null;
      if (was === after) continue;
      changes.push({ path, original: host.files.get(path) ?? null, before: was ?? '', after, added: added.has(path) });
    }
    // Ansible's result carries `diff`: {} unless --diff shows a change, then each file's before and after.
    const diff = ctx.diff && changes.length ? changes.map((c) => ({ before: c.before, after: c.after ?? '', before_header: c.before === '' ? '/dev/null' : c.path, after_header: c.after === null ? '/dev/null' : c.path })) : {};
    const result = { repo: args.repo, state: args.state, diff };
    if (!changes.length) return { changed: false, result };
    return {
      changed: true,
      result,
      diff: changes.map((c) => fileDiff(c.path, c.before, c.after ?? '')),
      state: changes,
      msg: changes.map((c) => `${c.path} ${ctx.check ? 'would be ' : ''}${c.after === null ? 'removed' : 'written'}`).join('; '),
    };
  },
  async apply(args, ctx, plan) {
    const changes = plan.state!;
    const mode = parseMode(args.mode);
    const put = async (path: string, text: string | null, m?: number) => {
      if (text === null) await ctx.host.remove(path);
      else await ctx.host.write(path, text, m !== undefined ? { mode: m } : {});
    };
    for (const c of changes) await put(c.path, c.after, c.added ? (mode ?? (c.original === null ? 0o644 : undefined)) : undefined);
    if (!args.update_cache) return { changed: true, result: plan.result };
    let err = '';
    for (let retry = 0; retry < args.update_cache_retries; retry++) {
      const r = await ctx.host.run('apt-get update', { env: APT_ENV, allowFailure: true });
      if (r.rc === 0 && !/^(E|W): (Failed to fetch|Some index files failed)/m.test(r.stderr + r.stdout)) return { changed: true, result: plan.result };
      err = (r.stderr || r.stdout).trim();
      if (retry + 1 < args.update_cache_retries) {
        // Ansible's backoff: doubling from 1s, capped, plus up to a second at random.
        const delay = Math.min(2 ** retry, args.update_cache_retry_max_delay) + Math.random();
        await new Promise((resolve) => setTimeout(resolve, delay * 1000));
      }
    }
    // The sources as they were, as Ansible does when the update fails.
    for (const c of changes) await put(c.path, c.original);
    return { changed: false, failed: `Failed to update apt cache: ${err || 'unknown reason'}`, result: plan.result };
  },
});
