/**
 * One ajv instance for the whole program: playbook keywords and module
 * arguments are validated the same way and their errors read the same.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false });
const cache = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: object): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
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
 * Module arguments convert types the way Ansible's modules do ("5" for an
 * integer argument is 5), because values often come from k=v strings and
 * templates.
 */
const argsAjv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: true });
const argsCache = new WeakMap<object, ValidateFunction>();

export function compileArgsSchema(schema: object): ValidateFunction {
  let fn = argsCache.get(schema);
  if (!fn) {
    fn = argsAjv.compile(schema);
    argsCache.set(schema, fn);
  }
  return fn;
}
