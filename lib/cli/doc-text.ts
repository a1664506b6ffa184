/**
 * What `tsplay doc` says about a module, from the module's own definition
 * (name, description, schema, examples, checkMode, freeForm): shared by the
 * terminal page (`tsplay doc <module>`) and the Markdown reference
 * (`tsplay doc --markdown`, docs/modules/), so the two cannot disagree.
 */
import type { ModuleDefinition } from '../module/define.js';

type Schema = Record<string, unknown>;

/** The description's sentences (a period, then a space or the end). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z`(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const GENERIC: Record<NonNullable<ModuleDefinition['checkMode']>, string> = {
  plan: 'Supported: in check mode only plan() runs; it looks at the host and reports what would change (with --diff, how), changing nothing.',
  skip: 'Skipped in check mode: what it would do cannot be predicted.',
  always: 'Runs in check mode too: it changes nothing on any host.',
};

/**
 * How the module behaves under --check. A module whose description speaks of
 * check mode is taken at its word (those sentences); otherwise the engine's
 * behaviour for its `checkMode` is described.
 */
export function checkModeText(m: Pick<ModuleDefinition, 'description' | 'checkMode'>): string {
  const own = sentences(m.description).filter((s) => /check mode/i.test(s));
  return own.length ? own.join(' ') : GENERIC[m.checkMode ?? 'plan'];
}

/** A property's type in words: `string`, `list of string`, `present | absent`, `string or list of string`. */
export function typeText(p: Schema | undefined, md = false): string {
  if (!p || typeof p !== 'object') return 'any';
  const code = (v: unknown) => (md ? `\`${String(v)}\`` : String(v));
  if (Array.isArray(p.enum)) return md ? p.enum.map(code).join(' | ') : `one of ${p.enum.join('|')}`;
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(p[k])) return [...new Set((p[k] as Schema[]).map((s) => typeText(s, md)))].join(' or ');
  }
  const types = Array.isArray(p.type) ? (p.type as string[]) : p.type ? [p.type as string] : [];
  if (!types.length) return 'any';
  return types
    .map((t) => {
      if (t === 'array') return p.items ? `list of ${typeText(p.items as Schema, md)}` : 'list';
      if (t === 'object') return p.additionalProperties && typeof p.additionalProperties === 'object' ? `dict of ${typeText(p.additionalProperties as Schema, md)}` : 'dict';
      return t;
    })
    .join(md ? ' | ' : '|');
}

export interface ArgumentDoc {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  freeForm: boolean;
  description: string;
}

export function argumentDocs(m: ModuleDefinition, md = false): ArgumentDoc[] {
  const props = (m.schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((m.schema.required as string[] | undefined) ?? []);
  const aliasesOf = (name: string) => Object.entries(m.aliases ?? {}).filter(([, to]) => to === name).map(([alias]) => alias);
  return Object.entries(props).map(([name, p]) => {
    const aliases = aliasesOf(name);
    const description = typeof p.description === 'string' ? p.description : '';
    return {
      name,
      type: typeText(p, md),
      required: required.has(name),
      ...(p.default !== undefined ? { default: p.default } : {}),
      freeForm: name === m.freeForm,
      description: aliases.length ? `${description}${description ? ' ' : ''}Also named ${aliases.join(', ')}.` : description,
    };
  });
}

/** Rules over several arguments (`oneOf`/`anyOf` of required sets, `not`, `minProperties`), in words. */
export function constraintTexts(m: ModuleDefinition): string[] {
  const s = m.schema;
  const names = (r: unknown) => ((r as Schema)?.required as string[] | undefined)?.map((n) => `\`${n}\``).join(' and ');
  const out: string[] = [];
  if (Array.isArray(s.oneOf) && s.oneOf.every((r) => names(r))) out.push(`Exactly one of: ${s.oneOf.map(names).join('; ')}.`);
  if (Array.isArray(s.anyOf) && s.anyOf.every((r) => names(r))) out.push(`At least one of: ${s.anyOf.map(names).join('; ')}.`);
  if (s.not && names(s.not)) out.push(`Not ${names(s.not)} together.`);
  if (s.additionalProperties !== false && (s.propertyNames || typeof s.minProperties === 'number')) {
    const pattern = ((s.propertyNames as Schema | undefined)?.pattern as string | undefined) ?? '';
    out.push(`Other keys are accepted${pattern ? ` (names matching \`${pattern}\`)` : ''}${typeof s.minProperties === 'number' ? `; at least ${s.minProperties} key${s.minProperties === 1 ? '' : 's'} in all` : ''}.`);
  }
  return out;
}
