/**
 * One ajv instance for the whole program: playbook keywords and module
 * arguments are validated the same way and their errors read the same.
 *
 * The schemas a run uses are compiled at build time (scripts/build-schemas.mjs
 * writes dist/lib/schema/precompiled/<sha1 of the schema's JSON>.cjs); ajv
 * itself is loaded and compiles only a schema that is not there.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { literalEval, NOT_LITERAL } from '../template/literal.js';
import { pyFloatRepr, pyIntRepr } from '../template/numbers.js';
import { pyRepr } from '../template/values.js';

const require = createRequire(import.meta.url);
const PRECOMPILED = fileURLToPath(new URL('./precompiled/', import.meta.url));
const hasPrecompiled = existsSync(PRECOMPILED);
/** Options shared with scripts/build-schemas.mjs: change both together. */
const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false, coerceTypes: false } as const;

function newAjv(): AjvClass {
  const { Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv(AJV_OPTIONS);
}

/** The build's validator for this schema, if it has one. */
function precompiled(schema: object): ValidateFunction | undefined {
  if (!hasPrecompiled) return undefined;
  const file = `${PRECOMPILED}${createHash('sha1').update(JSON.stringify(schema)).digest('hex')}.cjs`;
  if (!existsSync(file)) return undefined;
  const m = require(file) as ValidateFunction | { default: ValidateFunction };
  return typeof m === 'function' ? m : m.default;
}

let ajvInstance: AjvClass | undefined;
const cache = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: object): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = precompiled(schema) ?? (ajvInstance ??= newAjv()).compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

export interface SchemaProblem {
  /** The key path inside the validated object, e.g. ['loop_control', 'label']. */
  path: string[];
  message: string;
  /** For an unknown key: its name. */
  unknownKey?: string;
}

/** Turns ajv's errors into one sentence each; ajv's own text does not name an unknown key. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const where = path.length ? `'${path.join('.')}'` : 'the value';
    let message: string;
    let unknownKey: string | undefined;
    switch (e.keyword) {
      case CONVERT:
        message = e.message ?? `${where} has the wrong type`;
        break;
      case 'additionalProperties':
        unknownKey = String((e.params as { additionalProperty: string }).additionalProperty);
        message = `unsupported argument '${[...path, unknownKey].join('.')}'`;
        break;
      case 'type':
        message = `${where} must be ${describeType((e.params as { type: string | string[] }).type)}`;
        break;
      case 'enum':
        message = `${where} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'required':
        message = `missing required argument '${[...path, (e.params as { missingProperty: string }).missingProperty].join('.')}'`;
        break;
      case 'anyOf':
      case 'oneOf':
        // The branch errors already said what is wrong, unless there were none.
        if (errors!.some((o) => o !== e && o.instancePath === e.instancePath)) continue;
        message = `${where} has the wrong form`;
        break;
      default:
        message = `${where} ${e.message ?? 'is invalid'}`;
    }
    // anyOf branches repeat the same complaint about one value: keep the first.
    const dedupe = e.keyword === 'type' ? `${e.instancePath}:type` : `${e.instancePath}:${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push({ path, message, unknownKey });
  }
  // For anyOf errors ajv reports a `type` complaint per branch; merge them into one.
  return mergeTypeProblems(out, errors ?? []);
}

function mergeTypeProblems(problems: SchemaProblem[], errors: ErrorObject[]): SchemaProblem[] {
  return problems.map((p) => {
    if (!p.message.includes(' must be ')) return p;
    const path = '/' + p.path.join('/');
    const types = new Set<string>();
    for (const e of errors) {
      if (e.keyword !== 'type' || (e.instancePath || '/') !== (p.path.length ? path : '/')) continue;
      const t = (e.params as { type: string | string[] }).type;
      for (const x of Array.isArray(t) ? t : String(t).split(',')) types.add(x);
    }
    if (types.size < 2) return p;
    const where = p.path.length ? `'${p.path.join('.')}'` : 'the value';
    return { ...p, message: `${where} must be ${describeType([...types])}` };
  });
}

function describeType(t: string | string[]): string {
  const list = Array.isArray(t) ? t : String(t).split(',');
  const names = list.map((x) => ({ object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', null: 'null' })[x] ?? x);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * Module arguments are converted to the type their schema declares, as
 * Ansible's argument specs convert them: a template renders to text
 * ("{{ port }}" is '8001'), k=v arguments are text, so "8001" for an integer
 * argument is 8001, "yes"/"on"/"1"/"true" for a boolean is true, 5 for a
 * string is '5', "a,b" for a list is ['a', 'b']. A value that cannot be
 * converted is an error naming the argument. A null argument counts as not
 * given (its default applies), as Ansible skips None. The conversion changes
 * the arguments in place, then ajv validates them (without ajv's own
 * coercion, whose rules are not Ansible's).
 */
let argsAjv: AjvClass | undefined;
const argsCache = new WeakMap<object, ValidateFunction>();

/** The ajv error keyword of a failed conversion. */
const CONVERT = 'convert';

export function compileArgsSchema(schema: object): ValidateFunction {
  let fn = argsCache.get(schema);
  if (!fn) {
    const inner = precompiled(schema) ?? (argsAjv ??= newAjv()).compile(schema);
    const wrapped = ((data: unknown) => {
      const problems: ErrorObject[] = [];
      convertArgs(data, schema as Schema, [], problems);
      if (problems.length) {
        wrapped.errors = problems;
        return false;
      }
      const ok = inner(data);
      wrapped.errors = inner.errors;
      return ok;
    }) as ValidateFunction;
    Object.assign(wrapped, { schema: inner.schema, schemaEnv: inner.schemaEnv, errors: null });
    fn = wrapped;
    argsCache.set(schema, fn);
  }
  return fn;
}

type Schema = Record<string, unknown>;

function isSchema(v: unknown): v is Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function typeList(t: unknown): string[] | undefined {
  if (typeof t === 'string') return [t];
  if (Array.isArray(t) && t.every((x) => typeof x === 'string')) return t as string[];
  return undefined;
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isPlain(v);
    case 'null':
      return v === null;
  }
  return true;
}

/** Python's type names, as Ansible's messages give them. */
function pyType(v: unknown): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'None';
  return 'dict';
}

const BOOL_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOL_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);
const FAIL = Symbol('cannot convert');

/** Ansible's check_type_* conversions (module_utils/common/validation.py). */
function convertTo(v: unknown, t: string): unknown {
  switch (t) {
    case 'string':
      if (typeof v === 'number') return Number.isInteger(v) ? pyIntRepr(v) : pyFloatRepr(v);
      if (typeof v === 'boolean' || Array.isArray(v) || isPlain(v)) return pyRepr(v);
      return FAIL;
    case 'integer':
      if (typeof v === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) {
        const n = Number(v.trim().replace(/_/g, ''));
        return Number.isSafeInteger(n) ? n : FAIL;
      }
      if (typeof v === 'boolean') return v ? 1 : 0;
      return FAIL;
    case 'number':
      if (typeof v === 'string' && /^\s*[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)(e[+-]?\d+)?\s*$/i.test(v)) {
        const n = Number(v.trim().replace(/_/g, ''));
        return Number.isFinite(n) ? n : FAIL;
      }
      if (typeof v === 'boolean') return v ? 1 : 0;
      return FAIL;
    case 'boolean':
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        return BOOL_TRUE.has(s) ? true : BOOL_FALSE.has(s) ? false : FAIL;
      }
      if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : FAIL;
      return FAIL;
    case 'array':
      if (typeof v === 'string') return v.split(',');
      if (typeof v === 'number') return [Number.isInteger(v) ? pyIntRepr(v) : pyFloatRepr(v)];
      return FAIL;
    case 'object':
      if (typeof v === 'string') return toDict(v);
      return FAIL;
  }
  return FAIL;
}

/** check_type_dict: JSON or a Python literal when it starts with '{', else `k1=v1, k2=v2`. */
function toDict(s: string): unknown {
  if (s.startsWith('{')) {
    try {
      const j = JSON.parse(s);
      if (isPlain(j)) return j;
    } catch {
      const lit = literalEval(s);
      if (lit !== NOT_LITERAL && isPlain(lit)) return lit;
    }
    return FAIL;
  }
  if (!s.includes('=')) return FAIL;
  const fields: string[] = [];
  let buf = '';
  let quote: string | false = false;
  let escape = false;
  for (const c of s.trim()) {
    if (escape) {
      buf += c;
      escape = false;
    } else if (c === '\\') escape = true;
    else if (!quote && (c === "'" || c === '"')) quote = c;
    else if (quote && quote === c) quote = false;
    else if (!quote && (c === ',' || c === ' ')) {
      if (buf) fields.push(buf);
      buf = '';
    } else buf += c;
  }
  if (buf) fields.push(buf);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const i = f.indexOf('=');
    if (i < 0) return FAIL;
    Object.defineProperty(out, f.slice(0, i), { value: f.slice(i + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean (yes/no, true/false, on/off, 1/0)', array: 'a list', object: 'a dict' };

function problem(path: string[], v: unknown, types: string[]): ErrorObject {
  const want = types.filter((t) => t !== 'null').map((t) => TYPE_WORDS[t] ?? t);
  const wanted = want.length > 1 ? `${want.slice(0, -1).join(', ')} or ${want[want.length - 1]}` : want[0];
  // The value itself is not shown: it may be a secret.
  return {
    keyword: CONVERT,
    instancePath: path.length ? '/' + path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : '',
    schemaPath: '#',
    params: { types },
    message: `argument '${path.join('.') || '(the arguments)'}' must be ${wanted}: the ${pyType(v)} given cannot be converted`,
  };
}

function fitsBranch(v: unknown, branch: unknown): boolean {
  if (!isSchema(branch)) return true;
  const types = typeList(branch.type);
  return !types || types.some((t) => hasType(v, t));
}

/** Converts `v` to what `schema` declares; containers are converted in place. */
function convertArgs(v: unknown, schema: Schema, path: string[], problems: ErrorObject[]): unknown {
  const types = typeList(schema.type);
  if (types && !types.some((t) => hasType(v, t))) {
    let converted: unknown = FAIL;
    for (const t of types) {
      converted = convertTo(v, t);
      if (converted !== FAIL) break;
    }
    if (converted === FAIL) {
      problems.push(problem(path, v, types));
      return v;
    }
    v = converted;
  }
  for (const key of ['anyOf', 'oneOf']) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    const fit = branches.find((b) => fitsBranch(v, b));
    if (fit) {
      if (isSchema(fit)) v = convertArgs(v, fit, path, problems);
      continue;
    }
    for (const b of branches) {
      if (!isSchema(b)) continue;
      const tried: ErrorObject[] = [];
      const r = convertArgs(v, b, path, tried);
      if (!tried.length && fitsBranch(r, b)) {
        v = r;
        break;
      }
    }
  }
  if (Array.isArray(schema.allOf)) for (const b of schema.allOf) if (isSchema(b)) v = convertArgs(v, b, path, problems);
  if (Array.isArray(v) && isSchema(schema.items)) {
    for (let i = 0; i < v.length; i++) v[i] = convertArgs(v[i], schema.items, [...path, String(i)], problems);
  }
  if (isPlain(v)) {
    const props = isSchema(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const k of Object.keys(v)) {
      const sub = Object.hasOwn(props, k) ? props[k] : isSchema(schema.additionalProperties) ? schema.additionalProperties : undefined;
      if (!isSchema(sub)) continue;
      const subTypes = typeList(sub.type);
      // None means "not given" to Ansible's argument spec: the default applies.
      if (v[k] === null && subTypes && !subTypes.includes('null') && !required.includes(k)) {
        delete v[k];
        continue;
      }
      const r = convertArgs(v[k], sub, [...path, k], problems);
      if (r !== v[k]) Object.defineProperty(v, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
  }
  return v;
}
