/** `tsplay doc <module>`: a module's description, arguments and examples, from its own schema. */
import { ExitCode, TsplayError } from '../errors.js';
import { ModuleRegistry } from '../module/registry.js';
import { didYouMean } from '../suggest.js';
import { parse, type Options } from './args.js';
import type { Io } from './io.js';

const options: Options = { list: { type: 'boolean', short: 'l' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

export async function docCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, options, 'Usage: tsplay doc <module> | --list');
  const registry = new ModuleRegistry();
  registry.addLocalDir('modules');
  if (values.list || !positionals.length) {
    for (const m of await registry.loadAll()) io.out(`${m.name.padEnd(20)} ${m.description.split('. ')[0]}\n`);
    return ExitCode.ok;
  }
  const name = positionals[0];
  if (!registry.has(name)) throw new TsplayError('option', `module '${name}' not found.${didYouMean(name, registry.names())}`, { hint: 'tsplay doc --list shows every module' });
  const m = await registry.get(name);
  if (values.json) {
    io.out(JSON.stringify({ name: m.name, description: m.description, schema: m.schema, examples: m.examples }, null, 2) + '\n');
    return ExitCode.ok;
  }
  const props = (m.schema.properties ?? {}) as Record<string, { type?: unknown; description?: string; default?: unknown; enum?: unknown[] }>;
  const required = new Set((m.schema.required as string[] | undefined) ?? []);
  const lines = [`> ${m.name.toUpperCase()}`, '', m.description, '', 'ARGUMENTS:'];
  for (const [k, p] of Object.entries(props)) {
    const type = p.enum ? `one of ${p.enum.join('|')}` : Array.isArray(p.type) ? p.type.join('|') : (p.type ?? 'any');
    const extra = [required.has(k) ? 'required' : '', p.default !== undefined ? `default: ${JSON.stringify(p.default)}` : '', k === m.freeForm ? 'free form' : ''].filter(Boolean).join(', ');
    lines.push(`  ${k} (${type}${extra ? `; ${extra}` : ''})`, `      ${p.description ?? ''}`);
  }
  lines.push('', 'CHECK MODE:', `  ${checkModeText(m.description, m.checkMode)}`);
  lines.push('', 'EXAMPLES:', '', ...m.examples.map((e) => e + '\n'));
  io.out(lines.join('\n') + '\n');
  return ExitCode.ok;
}

/**
 * What check mode does with the module: the description's own words when it
 * speaks of check mode (so the two never disagree), else what checkMode says.
 */
export function checkModeText(description: string, mode: 'plan' | 'skip' | 'always' | undefined): string {
  const said = description.match(/[^.]*\bcheck mode\b[^.]*\./gi)?.map((x) => x.trim());
  if (said?.length) return said.join(' ');
  return { plan: 'Looks at the host and reports what it would do, changing nothing.', skip: 'Skipped: the effect cannot be predicted.', always: 'Runs: it changes nothing on the host.' }[mode ?? 'plan'];
}
