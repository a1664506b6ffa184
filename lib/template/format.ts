/**
 * Python's printf-style string formatting, `'%s-%02d' % (name, n)`, which
 * Ansible playbooks use in templates. A tuple or list on the right gives the
 * arguments in order; a dict gives `%(name)s` values (or is the one argument
 * when the format names none); anything else is the one argument.
 */
import { charge } from './limits.js';
import { isNumeric, numValue, PyFloat } from './numbers.js';
import { getProp, isMapping, isTuple, need, pyRepr, pyStr, templateError, typeName, Undef, undefRepr } from './values.js';

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

export function pyPercentFormat(fmt: string, right: unknown): string {
  const named = /%\([^)]*\)/.test(fmt);
  const mapping = named && isMapping(right) ? right : undefined;
  const args = mapping ? [] : isTuple(right) ? right : [right];
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw templateError('not enough arguments for format string', "give one value per %-placeholder, e.g. '%s-%s' % (a, b)");
    return args[next++];
  };
  let out = '';
  let last = 0;
  for (const m of fmt.matchAll(SPEC)) {
    out += fmt.slice(last, m.index);
    last = m.index! + m[0].length;
    const [, key, flags, w, p, type] = m;
    if (type === '%' && m[0] === '%%') {
      out += '%';
      continue;
    }
    let width = w === '*' ? Number(need(take())) : w === undefined ? 0 : Number(w);
    const precision = p === '*' ? Number(need(take())) : p === undefined ? undefined : Number(p);
    let left = flags.includes('-');
    if (width < 0) {
      left = true;
      width = -width;
    }
    let v: unknown;
    if (key !== undefined) {
      if (!mapping) throw templateError('format requires a mapping', "write '%(name)s' % {'name': value}");
      v = getProp(mapping, key);
      if (v === undefined) throw templateError(`format: no key '${key}' in the mapping`);
    } else v = take();
    let text = convert(type, v, flags, precision);
    charge(Math.max(width, text.length), "'%' formatting");
    if (text.length < width) {
      const numeric = 'diouxXeEfFgG'.includes(type);
      if (left) text = text.padEnd(width);
      else if (flags.includes('0') && numeric) {
        const sign = /^[-+ ]|^0[xXo]/.exec(text)?.[0] ?? '';
        text = sign + text.slice(sign.length).padStart(width - sign.length, '0');
      } else text = text.padStart(width);
    }
    out += text;
  }
  out += fmt.slice(last);
  if (!mapping && next < args.length) throw templateError('not all arguments converted during string formatting', 'give as many values as %-placeholders');
  return out;
}

function num(v: unknown, type: string, intOnly: boolean): number {
  if (!isNumeric(v)) throw templateError(`%${type} format: a number is required, not ${typeName(v)}`, 'convert it first, e.g. | int');
  if (intOnly && (v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)))) throw templateError(`%${type} format: an integer is required, not float`);
  return numValue(v);
}

function sign(n: number, flags: string): string {
  if (n < 0 || Object.is(n, -0)) return '-';
  return flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

function exp(s: string): string {
  // JS writes e+0, Python e+00.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function convert(type: string, v: unknown, flags: string, precision: number | undefined): string {
  // Only repr() accepts an undefined value, as in Ansible; str() and numbers fail on it.
  if (v instanceof Undef) {
    if (type !== 'r' && type !== 'a') throw v.error();
    return precision === undefined ? undefRepr(v) : undefRepr(v).slice(0, precision);
  }
  switch (type) {
    case 's':
      return precision === undefined ? pyStr(v) : pyStr(v).slice(0, precision);
    case 'r':
    case 'a':
      return precision === undefined ? pyRepr(v) : pyRepr(v).slice(0, precision);
    case 'c': {
      if (typeof v === 'string' && [...v].length === 1) return v;
      return String.fromCodePoint(num(v, type, true));
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = Math.trunc(num(v, type, false));
      const digits = String(Math.abs(n)).padStart(precision ?? 0, '0');
      return sign(n, flags) + digits;
    }
    case 'o':
    case 'x':
    case 'X': {
      const n = num(v, type, true);
      let digits = Math.abs(n).toString(type === 'o' ? 8 : 16).padStart(precision ?? 0, '0');
      if (type === 'X') digits = digits.toUpperCase();
      const prefix = flags.includes('#') ? (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') : '';
      return sign(n, flags) + prefix + digits;
    }
    default: {
      const n = num(v, type, false);
      const s = sign(n, flags);
      const a = Math.abs(n);
      const upper = type === 'E' || type === 'F' || type === 'G';
      if (!Number.isFinite(a)) return s + (Number.isNaN(a) ? (upper ? 'NAN' : 'nan') : upper ? 'INF' : 'inf');
      const prec = precision ?? 6;
      let body: string;
      if (type === 'f' || type === 'F') body = a.toFixed(Math.min(prec, 100));
      else if (type === 'e' || type === 'E') body = exp(a.toExponential(Math.min(prec, 100)));
      else {
        const P = prec === 0 ? 1 : prec;
        const e = a === 0 ? 0 : Number(a.toExponential(P - 1).split('e')[1]);
        if (e >= -4 && e < P) body = a.toFixed(Math.max(0, P - 1 - e));
        else body = exp(a.toExponential(Math.min(P - 1, 100)));
        if (!flags.includes('#')) body = body.replace(/\.?0+(?=e|$)/, (z) => (z.startsWith('.') || body.includes('.') ? '' : z));
      }
      if (flags.includes('#') && !body.includes('.') && (type === 'f' || type === 'F' || type === 'e' || type === 'E')) body = body.replace(/(\d)(e|$)/, '$1.$2');
      if (upper) body = body.toUpperCase();
      return s + body;
    }
  }
}
