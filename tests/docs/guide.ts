/**
 * Guides that are tested by doing what they say. A guide marks its blocks:
 *
 *   <!-- file: PATH -->      the next code block is the file PATH (relative to the
 *                            folder the commands are in at that point); it must be
 *                            byte for byte the example file examples/<guide>/PATH
 *   <!-- test: run -->       the next code block is shell commands, run as written
 *
 * guideScript() turns the marked blocks, in order, into one bash script: the
 * commands verbatim, the files as here-documents. packTsplay() builds the
 * package as `npm pack` would, into <dir>/tsplay/tsplay-<version>.tgz.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtDist } from '../helpers/build.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Block {
  kind: 'file' | 'run';
  path?: string;
  lang: string;
  text: string;
  line: number;
}

/** The marked blocks of a Markdown guide, in order. */
export function markedBlocks(md: string): Block[] {
  const lines = md.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- (?:file: (\S+)|test: run) -->$/.exec(lines[i]);
    if (!m) continue;
    const open = /^```(\w*)$/.exec(lines[i + 1] ?? '');
    if (!open) throw new Error(`line ${i + 1}: a marker must be followed by a code block`);
    const end = lines.indexOf('```', i + 2);
    if (end < 0) throw new Error(`line ${i + 2}: the code block does not end`);
    blocks.push({ kind: m[1] ? 'file' : 'run', path: m[1], lang: open[1], text: lines.slice(i + 2, end).join('\n') + '\n', line: i + 2 });
    i = end;
  }
  return blocks;
}

/** The guide as one bash script. */
export function guideScript(blocks: Block[]): string {
  const out = ['set -euo pipefail', 'exec 2>&1'];
  for (const b of blocks) {
    if (b.kind === 'file') {
      if (b.text.includes('TSPLAY_GUIDE_EOF')) throw new Error('the delimiter occurs in the file');
      out.push(`mkdir -p "$(dirname '${b.path}')"`, `cat > '${b.path}' <<'TSPLAY_GUIDE_EOF'\n${b.text}TSPLAY_GUIDE_EOF`);
    } else {
      // Each command is announced, so a test can find its output.
      for (const cmd of b.text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))) {
        out.push(`echo '==> ${cmd.replace(/'/g, `'\\''`)}'`, cmd);
      }
    }
  }
  return out.join('\n') + '\n';
}

/** The output of each command of a guide's run, by the command line (a command run twice has two). */
export function outputs(log: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let current: { list: string[]; i: number } | undefined;
  for (const line of log.split('\n')) {
    const m = /^==> (.*)$/.exec(line);
    if (m) {
      const list = map.get(m[1]) ?? [];
      map.set(m[1], list);
      list.push('');
      current = { list, i: list.length - 1 };
    } else if (current) current.list[current.i] += line + '\n';
  }
  return map;
}

/** Every file under dir, relative to it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p).map((g) => join(f, g)) : [f];
  });
}

export function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res) =>
    execFile(cmd, args, { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (e, out, err) =>
      res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }),
    ),
  );
}

/** npm as a user would run it, from the cache when it can (the packages the guides install are tsplay's own). */
export const NPM_ENV = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** Builds and packs tsplay from these sources: <dir>/tsplay/tsplay-<version>.tgz, as `npm pack` in a clone makes it. */
export async function packTsplay(dir: string): Promise<string> {
  const stage = join(dir, 'stage');
  mkdirSync(stage, { recursive: true });
  // The run's test build (what `npm run build` makes), copied into this stage.
  cpSync(builtDist(), join(stage, 'dist'), { recursive: true });
  for (const f of ['package.json', 'README.md', 'LICENSE', 'playbooks', 'inventories']) cpSync(join(REPO, f), join(stage, f), { recursive: true, filter: (p) => !relative(REPO, p).includes('.lab') });
  const dest = join(dir, 'tsplay');
  mkdirSync(dest, { recursive: true });
  const pack = await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', dest], stage);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.err}`);
  return join(dest, pack.out.trim().split('\n').pop()!);
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}
