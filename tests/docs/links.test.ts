/**
 * Every relative link in README.md and docs/ leads somewhere: the file
 * exists, and a #fragment names a heading of it (GitHub's anchors). Pages
 * other engineers are writing (events, audit, benchmarks) may be linked
 * before they exist.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PENDING = new Set(['docs/events.md', 'docs/audit.md', 'docs/benchmarks.md']);

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pages(p) : f.endsWith('.md') ? [p] : [];
  });
}

/** GitHub's heading anchors. */
export function anchors(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of md.split('\n')) {
    if (/^```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Links outside code: [text](target). */
function links(md: string): string[] {
  const text = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

for (const page of [join(REPO, 'README.md'), ...pages(join(REPO, 'docs'))]) {
  const name = relative(REPO, page);
  t.test(name, async (t) => {
    const md = readFileSync(page, 'utf8');
    for (const link of links(md)) {
      if (/^[a-z]+:/.test(link)) continue;
      const [path, fragment] = link.split('#');
      const target = path ? resolve(dirname(page), path) : page;
      const rel = relative(REPO, target);
      if (PENDING.has(rel)) continue;
      if (!existsSync(target)) {
        t.fail(`${link}: ${rel} does not exist`);
        continue;
      }
      if (fragment) t.ok(anchors(readFileSync(target, 'utf8')).has(fragment), `${link}: #${fragment} is a heading of ${rel}`);
      else t.pass(link);
    }
  });
}
