/**
 * `tsplay doc <module>`: a module's description, arguments, check mode and
 * examples, from its own definition. `--markdown [--out DIR]` writes the same
 * as Markdown pages (`npm run docs` keeps docs/modules/ current).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, TsplayError } from '../errors.js';
import type { ModuleDefinition } from '../module/define.js';
import { ModuleRegistry } from '../module/registry.js';
import { didYouMean } from '../suggest.js';
import { parse, type Options } from './args.js';
import { GENERATED_MARK, referenceFiles } from './doc-markdown.js';
import { argumentDocs, checkModeText, constraintTexts } from './doc-text.js';
import type { Io } from './io.js';

const USAGE = `Usage: tsplay doc <module> | --list | --markdown [--out DIR] [module...]

Shows a module's description, arguments, check mode and examples, from the
module's own definition (built-in modules, and .js modules in ./modules).

Options:
  -l, --list        One line per module
      --json        The module's definition as JSON (name, description, schema, examples, checkMode)
      --markdown    Markdown reference pages (an index and one page per module; all modules unless named)
      --out DIR     With --markdown: write <module>.md and README.md into DIR. Generated pages
                    there that are not written again are removed; other files are never touched
  -h, --help        This help`;

const options: Options = {
  list: { type: 'boolean', short: 'l' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** The terminal page of one module. */
export function docText(m: ModuleDefinition): string {
  const lines = [`> ${m.name.toUpperCase()}`, '', m.description, '', 'ARGUMENTS:'];
  for (const a of argumentDocs(m)) {
    const extra = [a.required ? 'required' : '', a.default !== undefined ? `default: ${JSON.stringify(a.default)}` : '', a.freeForm ? 'free form' : ''].filter(Boolean).join(', ');
    lines.push(`  ${a.name} (${a.type}${extra ? `; ${extra}` : ''})`, `      ${a.description}`);
  }
  for (const c of constraintTexts(m)) lines.push(`  ${c.replace(/`/g, '')}`);
  lines.push('', 'CHECK MODE:', `  ${checkModeText(m)}`);
  lines.push('', 'EXAMPLES:', '', ...m.examples.map((e) => e + '\n'));
  return lines.join('\n') + '\n';
}

export async function docCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, options, USAGE);
  if (values.help) {
    io.out(USAGE + '\n');
    return ExitCode.ok;
  }
  const registry = new ModuleRegistry();
  registry.addLocalDir('modules');
  const resolveNames = (names: string[]) => {
    for (const name of names) {
      if (!registry.has(name)) throw new TsplayError('option', `module '${name}' not found.${didYouMean(name, registry.names())}`, { hint: 'tsplay doc --list shows every module' });
    }
    return names;
  };
  if (values.out !== undefined && !values.markdown) throw new TsplayError('option', '--out goes with --markdown', { hint: 'tsplay doc --markdown --out docs/modules' });
  if (values.markdown) {
    const names = positionals.length ? resolveNames(positionals) : registry.names();
    const modules = await Promise.all(names.map((n) => registry.get(n)));
    const files = referenceFiles(modules);
    if (values.out === undefined) {
      io.out([...files.values()].join('\n'));
      return ExitCode.ok;
    }
    const out = String(values.out);
    writeReference(out, files);
    io.out(`wrote ${files.size} pages to ${out}\n`);
    return ExitCode.ok;
  }
  if (values.list || !positionals.length) {
    for (const m of await registry.loadAll()) io.out(`${m.name.padEnd(20)} ${m.description.split('. ')[0]}\n`);
    return ExitCode.ok;
  }
  const [name] = resolveNames([positionals[0]]);
  const m = await registry.get(name);
  if (values.json) {
    io.out(JSON.stringify({ name: m.name, description: m.description, schema: m.schema, examples: m.examples, checkMode: m.checkMode ?? 'plan', checkModeText: checkModeText(m) }, null, 2) + '\n');
    return ExitCode.ok;
  }
  io.out(docText(m));
  return ExitCode.ok;
}

function isGenerated(file: string): boolean {
  return readFileSync(file, 'utf8').startsWith(GENERATED_MARK);
}

/** Writes the pages; removes generated pages no longer produced; never overwrites a hand-written file. */
export function writeReference(dir: string, files: Map<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const name of files.keys()) {
    const file = join(dir, name);
    if (existsSync(file) && !isGenerated(file)) {
      throw new TsplayError('runtime', `${file} is a hand-written page: a generated page of the same name would overwrite it`, { hint: 'rename the hand-written page' });
    }
  }
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.md') && !files.has(f) && isGenerated(join(dir, f))) rmSync(join(dir, f));
  }
  for (const [name, text] of files) {
    const file = join(dir, name);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  }
}
