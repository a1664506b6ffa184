/**
 * Python's two number types on top of JavaScript's one. An int is a JS
 * number with an integral value; a float is a JS number with a fractional
 * value (2.5), NaN or an infinity, or a PyFloat box holding an integral value
 * (5.0), the one case a JS number cannot tell apart from an int. So
 * `10 / 2` prints `5.0`, `5.0 | int` prints `5`, as in Ansible.
 *
 * PyFloat boxes live only inside template evaluation: values handed back to
 * the engine are plain numbers (see plainData).
 */

const COMPUTED = Symbol.for('tsplay.computedMapping');

export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return pyFloatRepr(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A float with this value: boxed when integral, so it keeps printing as a float. */
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** A number of the given Python type. */
export function mkNum(n: number, float: boolean): number | PyFloat {
  return float ? mkFloat(n) : n;
}

/** int, float or bool (a bool is an int in Python). */
export function isNumeric(v: unknown): v is number | boolean | PyFloat {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** The JS number of an int, float or bool. */
export function numValue(v: number | boolean | PyFloat): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return v;
}

/** Python's repr() of an int: exact digits, never an exponent. */
export function pyIntRepr(n: number): string {
  if (Object.is(n, -0)) return '0';
  if (Math.abs(n) < 1e21) return String(n);
  return BigInt(n).toString();
}

/** Python's repr() of a float: shortest round-trip digits, exponent below 1e-4 and from 1e16. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    s = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp >= 0) {
    s = digits.length <= exp + 1 ? `${digits}${'0'.repeat(exp + 1 - digits.length)}.0` : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${s}` : s;
}

/** repr() of any number: ints without a point, floats with one. */
export function pyNumRepr(v: number | PyFloat): string {
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  return Number.isInteger(v) ? pyIntRepr(v) : pyFloatRepr(v);
}

/**
 * A value as the engine and modules receive it: PyFloat boxes become plain
 * numbers. Copies only what contains a box.
 */
export function plainData(v: unknown, depth = 0): unknown {
  if (v instanceof PyFloat) return v.value;
  if (depth > 10000 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const r = plainData(v[i], depth + 1);
      if (r !== v[i]) (out ??= v.slice())[i] = r;
    }
    return out ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || (v as Record<symbol, unknown>)[COMPUTED] === true) return v;
  let out: Record<string, unknown> | undefined;
  const obj = v as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const r = plainData(obj[k], depth + 1);
    if (r !== obj[k]) {
      // The copy keeps the keys' order (its descriptors carry the dict-order list too).
      out ??= Object.defineProperties({}, Object.getOwnPropertyDescriptors(obj)) as Record<string, unknown>;
      Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? v;
}
