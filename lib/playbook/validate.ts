/** Validates a play or task mapping's keywords against their schemas and reports with positions. */
import { TsplayError, type SourcePos } from '../errors.js';
import { compileSchema, describeSchemaErrors } from '../schema/ajv.js';
import { keyPos, posOf, valuePos } from './yaml-source.js';

const schemas = new WeakMap<object, object>();

function schemaFor(keywords: Record<string, object>): object {
  let s = schemas.get(keywords);
  if (!s) {
    s = { type: 'object', properties: keywords };
    schemas.set(keywords, s);
  }
  return s;
}

/** Checks the values of known keywords (unknown keys are the caller's business). */
export function validateKeywords(obj: Record<string, unknown>, keywords: Record<string, object>, what: string): void {
  const known: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) if (k in keywords) known[k] = obj[k];
  const validate = compileSchema(schemaFor(keywords));
  if (validate(known)) return;
  const problem = describeSchemaErrors(validate.errors)[0];
  const key = problem?.path[0];
  const pos = (key && (valuePos(obj, key) ?? keyPos(obj, key))) || posOf(obj);
  throw new TsplayError('validation', `${what}: ${problem?.message ?? 'invalid value'}`, {
    pos,
    hint: key ? `see the '${key}' keyword in the documentation` : undefined,
  });
}

export function requireMapping(value: unknown, what: string, pos: SourcePos | undefined): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new TsplayError('validation', `${what} must be a mapping (key: value), got ${describeValue(value)}`, {
      pos: posOf(value) ?? pos,
      hint: 'write it as a YAML mapping, e.g. "- name: ...\\n  debug: msg=hi"',
    });
  }
  return value as Record<string, unknown>;
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
