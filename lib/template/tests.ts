/**
 * Jinja and Ansible tests (`x is defined`, `result is failed`,
 * `x is match('re')`), one entry each. `select`/`selectattr` use the same table.
 */
import type { Env, Kwargs } from './context.js';
import { fileTests } from './file-tests.js';
import { PyFloat, isFloat, isNumeric } from './numbers.js';
import { uriTests } from './uri-tests.js';
import { pyPattern } from './safe-regex.js';
import { Undef, isMapping, pyCompare, pyContains, pyEquals, templateError, toList, pythonTruthy, typeName } from './values.js';

import type { TestDef } from './plugin-types.js';

export type { TestDef } from './plugin-types.js';

const t = (fn: TestDef['fn']): TestDef => ({ fn });

function result(v: unknown, name: string): Record<string, unknown> {
  if (!isMapping(v)) throw templateError(`the '${name}' test expects a registered task result (a dict), not ${typeName(v)}`);
  return v;
}

const failed = (v: unknown) => pythonTruthy(result(v, 'failed').failed ?? false);
const succeeded = (v: unknown) => !failed(v);

function regexTest(kind: 'match' | 'search' | 'fullmatch') {
  return t((v, [re, ...rest], kw) => {
    if (typeof v !== 'string') throw templateError(`the '${kind}' test expects a string, not ${typeName(v)}`);
    const opts = { ignorecase: kw.ignorecase ?? rest[0], multiline: kw.multiline ?? rest[1] };
    const pattern = pyPattern(re, opts);
    if (kind === 'search') return pattern.search(v) !== null;
    const m = pattern.matchStart(v);
    return !!m && (kind === 'match' || m.end === v.length);
  });
}

/** Loose version ordering, as Ansible's `version` test does by default. */
function compareVersions(a: string, b: string): number {
  const parts = (s: string) => s.split(/[.\-+_]/).flatMap((p) => p.match(/\d+|[A-Za-z]+/g) ?? []);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? '0';
    const q = y[i] ?? '0';
    const np = /^\d+$/.test(p);
    const nq = /^\d+$/.test(q);
    const c = np && nq ? Number(p) - Number(q) : np ? 1 : nq ? -1 : p < q ? -1 : p > q ? 1 : 0;
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

/** Ansible's boolean() of convert_bool: its true and false words, else the value as it is. */
const BOOL_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOL_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);
function convertBool(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  const n = v instanceof PyFloat ? v.value : v;
  if (n === 1) return true;
  if (n === 0) return false;
  if (typeof v !== 'string') return v;
  const word = v.trim().toLowerCase();
  return BOOL_TRUE.has(word) ? true : BOOL_FALSE.has(word) ? false : v;
}

/** `truthy(convert_bool=true)`: Python's bool(), after boolean words become booleans when asked. */
const isTruthy = (v: unknown, convert: unknown) => pythonTruthy(pythonTruthy(convert ?? false) ? convertBool(v) : v);

/** math.isnan: a number that is NaN; anything else (text too) is not. */
const isNan = t((v) => (v instanceof PyFloat ? Number.isNaN(v.value) : typeof v === 'number' && Number.isNaN(v)));

const eq = t((v, [x]) => pyEquals(v, x));
const ne = t((v, [x]) => !pyEquals(v, x));
const lt = t((v, [x]) => pyCompare(v, x) < 0);
const le = t((v, [x]) => pyCompare(v, x) <= 0);
const gt = t((v, [x]) => pyCompare(v, x) > 0);
const ge = t((v, [x]) => pyCompare(v, x) >= 0);
const version = t((v, [ver, op = 'eq'], kw) => {
  const o = String(kw.operator ?? op);
  const f = VERSION_OPS[o];
  if (!f) throw templateError(`version test: unknown operator '${o}'`, `use one of ${Object.keys(VERSION_OPS).join(' ')}`);
  return f(compareVersions(String(v), String(ver)));
});

export const tests: Record<string, TestDef> = {
  defined: { fn: (v) => !(v instanceof Undef), undefinedOk: true },
  undefined: { fn: (v) => v instanceof Undef, undefinedOk: true },
  none: t((v) => v === null || v === undefined),
  string: t((v) => typeof v === 'string'),
  number: t((v) => isNumeric(v)),
  integer: t((v) => typeof v === 'number' && Number.isInteger(v)),
  float: t((v) => isFloat(v)),
  boolean: t((v) => typeof v === 'boolean'),
  mapping: t((v) => isMapping(v)),
  iterable: t((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  sequence: t((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  callable: t(() => false),
  true: t((v) => v === true),
  false: t((v) => v === false),
  // Ansible's tests on registered results.
  failed: t(failed),
  failure: t(failed),
  succeeded: t(succeeded),
  success: t(succeeded),
  successful: t(succeeded),
  changed: t((v) => pythonTruthy(result(v, 'changed').changed ?? false)),
  change: t((v) => pythonTruthy(result(v, 'changed').changed ?? false)),
  skipped: t((v) => pythonTruthy(result(v, 'skipped').skipped ?? false)),
  skip: t((v) => pythonTruthy(result(v, 'skipped').skipped ?? false)),
  finished: t((v) => pythonTruthy(result(v, 'finished').finished ?? true)),
  unreachable: t((v) => pythonTruthy(result(v, 'unreachable').unreachable ?? false)),
  reachable: t((v) => !pythonTruthy(result(v, 'reachable').unreachable ?? false)),
  match: regexTest('match'),
  search: regexTest('search'),
  regex: t((v, [re, ...rest], kw, env) => env.test(String(kw.match_type ?? 'search'), v, [re, ...rest], kw)),
  eq, equalto: eq, '==': eq,
  ne, '!=': ne,
  lt, lessthan: lt, '<': lt,
  le, '<=': le,
  gt, greaterthan: gt, '>': gt,
  ge, '>=': ge,
  in: t((v, [seq]) => pyContains(seq, v)),
  contains: t((v, [x]) => pyContains(v, x)),
  sameas: t((v, [x]) => v === x),
  divisibleby: t((v, [n]) => Number(v) % Number(n) === 0),
  even: t((v) => Number(v) % 2 === 0),
  odd: t((v) => Math.abs(Number(v) % 2) === 1),
  lower: t((v) => typeof v === 'string' && v === v.toLowerCase()),
  upper: t((v) => typeof v === 'string' && v === v.toUpperCase()),
  subset: t((v, [big]) => toList(v).every((x) => pyContains(toList(big), x))),
  issubset: t((v, [big]) => toList(v).every((x) => pyContains(toList(big), x))),
  superset: t((v, [small]) => toList(small).every((x) => pyContains(toList(v), x))),
  issuperset: t((v, [small]) => toList(small).every((x) => pyContains(toList(v), x))),
  nan: isNan,
  isnan: isNan,
  truthy: t((v, [convert], kw) => isTruthy(v, kw.convert_bool ?? convert)),
  falsy: t((v, [convert], kw) => !isTruthy(v, kw.convert_bool ?? convert)),
  all: t((v) => toList(v).every(pythonTruthy)),
  any: t((v) => toList(v).some(pythonTruthy)),
  version,
  version_compare: version,
  ...uriTests,
  ...fileTests,
};
