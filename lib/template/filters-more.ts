/**
 * ansible-core filters used by its integration targets that the core table
 * lacked: password_hash, strftime, human_to_bytes/human_readable,
 * urlsplit/urlencode/urldecode, to_uuid, comment, from_yaml_all; and the
 * time formatting now() shares. Each follows ansible-core 2.14's
 * plugins/filter/*.py.
 */
import { createHash, randomInt } from 'node:crypto';
// unixcrypt exports an ES module only ("import" condition), which the tests' TypeScript loader does not resolve for types; tsc and Node do.
// @ts-ignore
import { encrypt as shaCrypt } from 'unixcrypt';
import YAML from 'yaml';
import type { FilterDef } from './plugin-types.js';
import type { Kwargs } from './context.js';
import { chargeParse, yamlParseCost } from './limits.js';
import { isMapping, pyStr, templateError, pythonTruthy } from './values.js';

const f = (fn: FilterDef['fn']): FilterDef => ({ fn });

function arg(args: unknown[], kw: Kwargs, i: number, name: string, dflt?: unknown): unknown {
  if (i < args.length) return args[i];
  if (Object.prototype.hasOwnProperty.call(kw, name)) return kw[name];
  return dflt;
}

// ---------------------------------------------------------------- password_hash

const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The md5-crypt ($1$) of FreeBSD/glibc, over bytes. */
export function md5Crypt(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  let alt = md5(pw, s, pw);
  const chunks: Buffer[] = [pw, Buffer.from('$1$'), s];
  for (let n = pw.length; n > 0; n -= 16) chunks.push(alt.subarray(0, Math.min(n, 16)));
  for (let i = pw.length; i; i >>= 1) chunks.push(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let final = md5(...chunks);
  for (let i = 0; i < 1000; i++) {
    const parts: Buffer[] = [i & 1 ? pw : final];
    if (i % 3) parts.push(s);
    if (i % 7) parts.push(pw);
    parts.push(i & 1 ? final : pw);
    final = md5(...parts);
  }
  alt = final;
  let out = '';
  const to64 = (v: number, n: number) => {
    for (let k = 0; k < n; k++, v >>= 6) out += CRYPT64[v & 0x3f];
  };
  for (const [a, b, c] of [
    [0, 6, 12],
    [1, 7, 13],
    [2, 8, 14],
    [3, 9, 15],
    [4, 10, 5],
  ]) {
    to64((alt[a] << 16) | (alt[b] << 8) | alt[c], 4);
  }
  to64(alt[11], 2);
  return `$1$${s.toString('utf8')}$${out}`;
}

/** Ansible's crypt algorithms (utils/encrypt.py): id, salt size, and the rounds passlib leaves out of the result. */
const MD5 = { id: '1', saltSize: 8, implicitRounds: undefined };
const SHA256 = { id: '5', saltSize: 16, implicitRounds: 535000 };
const SHA512 = { id: '6', saltSize: 16, implicitRounds: 656000 };
const HASHES: Record<string, { id: string; saltSize: number; implicitRounds?: number }> = {
  md5: MD5,
  md5_crypt: MD5,
  sha256: SHA256,
  sha256_crypt: SHA256,
  sha512: SHA512,
  sha512_crypt: SHA512,
};

/** Ansible's password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None) with crypt(3)'s algorithms. */
function passwordHash(input: unknown, args: unknown[], kw: Kwargs): string {
  const hashtype = String(arg(args, kw, 0, 'hashtype', 'sha512'));
  const spec = HASHES[hashtype];
  if (!spec) throw templateError(`crypt.crypt does not support '${hashtype}' algorithm`, 'use sha512, sha256 or md5');
  const saltArg = arg(args, kw, 1, 'salt');
  const saltSize = arg(args, kw, 2, 'salt_size');
  const rounds = arg(args, kw, 3, 'rounds');
  let salt: string;
  if (saltArg === undefined || saltArg === null) {
    const n = saltSize === undefined || saltSize === null ? spec.saltSize : Number(saltSize);
    salt = Array.from({ length: n }, () => CRYPT64[randomInt(64)]).join('');
  } else salt = pyStr(saltArg);
  if (!/^[./0-9A-Za-z]*$/.test(salt)) throw templateError('invalid characters in salt');
  if (salt.length > spec.saltSize) throw templateError('invalid salt size', `give at most ${spec.saltSize} characters of salt`);
  const secret = pyStr(input);
  if (spec.id === '1') {
    if (rounds !== undefined && rounds !== null) throw templateError('md5 crypt does not take rounds', 'leave rounds out for md5');
    return md5Crypt(secret, salt);
  }
  const r = rounds === undefined || rounds === null || Number(rounds) === spec.implicitRounds ? '' : `rounds=${Number(rounds)}$`;
  return shaCrypt(secret, `$${spec.id}$${r}${salt}`);
}

// ---------------------------------------------------------------- time

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface TimeParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
  wd: number;
  offsetMin: number;
  zone: string;
}

function partsOf(ms: number, utc: boolean): TimeParts {
  const t = new Date(ms);
  const us = Math.round((((ms % 1000) + 1000) % 1000) * 1000);
  if (utc) return { y: t.getUTCFullYear(), mo: t.getUTCMonth(), d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds(), us, wd: t.getUTCDay(), offsetMin: 0, zone: 'UTC' };
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return { y: t.getFullYear(), mo: t.getMonth(), d: t.getDate(), h: t.getHours(), mi: t.getMinutes(), s: t.getSeconds(), us, wd: t.getDay(), offsetMin: -t.getTimezoneOffset(), zone };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Python's strftime for the directives of the C library on Linux. */
export function pyStrftime(format: string, ms: number, utc: boolean, aware = !utc): string {
  const t = partsOf(ms, utc);
  const yday = Math.floor((Date.UTC(t.y, t.mo, t.d) - Date.UTC(t.y, 0, 1)) / 86400000) + 1;
  const week = (firstDay: number) => Math.floor((yday + 6 - ((t.wd - firstDay + 7) % 7)) / 7);
  const off = `${t.offsetMin < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(t.offsetMin) / 60))}${p2(Math.abs(t.offsetMin) % 60)}`;
  const table: Record<string, () => string> = {
    Y: () => String(t.y),
    y: () => p2(t.y % 100),
    m: () => p2(t.mo + 1),
    d: () => p2(t.d),
    e: () => String(t.d).padStart(2, ' '),
    H: () => p2(t.h),
    I: () => p2(t.h % 12 || 12),
    M: () => p2(t.mi),
    S: () => p2(t.s),
    f: () => String(t.us).padStart(6, '0'),
    p: () => (t.h < 12 ? 'AM' : 'PM'),
    a: () => DAYS[t.wd].slice(0, 3),
    A: () => DAYS[t.wd],
    b: () => MONTHS[t.mo].slice(0, 3),
    h: () => MONTHS[t.mo].slice(0, 3),
    B: () => MONTHS[t.mo],
    j: () => String(yday).padStart(3, '0'),
    w: () => String(t.wd),
    u: () => String(t.wd || 7),
    U: () => p2(week(0)),
    W: () => p2(week(1)),
    z: () => (aware || !utc ? off : ''),
    Z: () => (aware || !utc ? t.zone : ''),
    s: () => String(Math.floor(ms / 1000)),
    c: () => `${DAYS[t.wd].slice(0, 3)} ${MONTHS[t.mo].slice(0, 3)} ${String(t.d).padStart(2, ' ')} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)} ${t.y}`,
    x: () => `${p2(t.mo + 1)}/${p2(t.d)}/${p2(t.y % 100)}`,
    X: () => `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`,
    D: () => `${p2(t.mo + 1)}/${p2(t.d)}/${p2(t.y % 100)}`,
    F: () => `${t.y}-${p2(t.mo + 1)}-${p2(t.d)}`,
    T: () => `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`,
    R: () => `${p2(t.h)}:${p2(t.mi)}`,
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  return format.replace(/%(.)/gs, (m, c: string) => (table[c] ? table[c]() : m));
}

/** str() of a datetime: `2026-12-07 14:05:00.123456`. */
export function pyDatetimeStr(ms: number, utc: boolean): string {
  const t = partsOf(ms, utc);
  return `${t.y}-${p2(t.mo + 1)}-${p2(t.d)} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}${t.us ? '.' + String(t.us).padStart(6, '0') : ''}`;
}

// ---------------------------------------------------------------- sizes

const SIZE_RANGES: Array<[string, number]> = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];

/** Python's round(): halves to even. */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function humanToBytes(input: unknown, defaultUnit: unknown, isbits: boolean): number {
  const text = pyStr(input);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  const num = m && m[1] !== '' && m[1] !== '.' ? Number(m[1]) : NaN;
  if (!m || Number.isNaN(num)) throw templateError(`human_to_bytes() can't interpret following number: ${m?.[1] ?? ''} (original input string: ${text})`);
  const unit = m[2] ?? (defaultUnit === undefined || defaultUnit === null ? undefined : String(defaultUnit));
  if (unit === undefined) return pyRound(num);
  const key = unit[0].toUpperCase();
  const limit = SIZE_RANGES.find(([k]) => k === key)?.[1];
  if (limit === undefined) throw templateError(`human_to_bytes() failed to convert ${text} (unit = ${unit}). The suffix must be one of Y, Z, E, P, T, G, M, K, B`);
  const unitClass = isbits ? 'b' : 'B';
  const className = isbits ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(className) && unit[1] !== unitClass) {
    const expect = key === 'B' ? `expect ${unitClass} or ${className}` : `expect ${key}${unitClass} or ${key}`;
    throw templateError(`human_to_bytes() failed to convert ${text}. Value is not a valid string (${expect})`);
  }
  return pyRound(num * limit);
}

function bytesToHuman(size: number, isbits: boolean, unit: unknown): string {
  const base = isbits ? 'bits' : 'Bytes';
  let suffix = 'B';
  let limit = 1;
  for ([suffix, limit] of SIZE_RANGES) {
    if ((unit === undefined || unit === null) && size >= limit) break;
    if (unit !== undefined && unit !== null && String(unit).toUpperCase() === suffix[0]) break;
  }
  const label = limit !== 1 ? suffix + base[0] : base;
  return `${(size / limit).toFixed(2)} ${label}`;
}

// ---------------------------------------------------------------- URLs

/** Python's urllib.parse.quote: letters, digits, `_.-~` and `safe` kept, the rest %-encoded as UTF-8. */
function pyQuote(s: string, safe: string, plus: boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(c) || (byte < 128 && safe.includes(c))) out += c;
    else if (plus && c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function urlsplit(input: unknown, query: unknown): unknown {
  const url = pyStr(input);
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(url)!;
  const [, scheme = '', netloc = '', path = '', q = '', fragment = ''] = m;
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = hp?.[1] ?? hostport;
  const parts: Record<string, unknown> = {
    fragment,
    hostname: host ? host.replace(/^\[|\]$/g, '').toLowerCase() : null,
    netloc,
    password: userinfo !== undefined && userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : null,
    path,
    port: hp?.[2] ? Number(hp[2]) : null,
    query: q,
    scheme: scheme.toLowerCase(),
    username: userinfo !== undefined ? userinfo.split(':')[0] : null,
  };
  if (query === undefined || query === '') return parts;
  const key = String(query);
  if (!(key in parts)) throw templateError(`urlsplit: unknown URL component: ${key}`);
  return parts[key];
}

// ---------------------------------------------------------------- to_uuid

function toUuid(input: unknown, namespace: unknown): string {
  const ns = String(namespace ?? '361E6D51-FAEC-444A-9079-341386DA8E2E').replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw templateError(`Invalid value '${String(namespace)}' for 'namespace'`);
  const hash = createHash('sha1').update(Buffer.from(ns, 'hex')).update(Buffer.from(pyStr(input), 'utf8')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------- comment

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

function comment(input: unknown, style: string, kw: Kwargs): string {
  const text = pyStr(input);
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw templateError(`comment: unknown style '${style}'`, `use one of ${Object.keys(COMMENT_STYLES).join(', ')}`);
  const prepostfix = String(kw.decoration ?? styleParams.decoration);
  const p: Record<string, unknown> = { newline: '\n', beginning: '', prefix: prepostfix.trimEnd(), prefix_count: 1, decoration: '', postfix: prepostfix.trimEnd(), postfix_count: 1, end: '', ...styleParams };
  for (const [k, v] of Object.entries(kw)) if (k !== 'style') p[k] = v;
  const nl = String(p.newline);
  const deco = String(p.decoration);
  const beginning = p.beginning ? `${String(p.beginning)}${nl}` : '';
  let prefix = '';
  if (p.prefix) prefix = (p.prefix !== nl ? `${String(p.prefix)}${nl}` : nl).repeat(Number(p.prefix_count));
  const body = `${deco}${text.split(nl).join(nl + deco)}`.split(`${deco}${nl}`).join(`${deco.trimEnd()}${nl}`);
  const postfix = ['', ...Array.from({ length: Number(p.postfix_count) }, () => String(p.postfix))].join(nl);
  const end = p.end ? `${nl}${String(p.end)}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
}

// ---------------------------------------------------------------- the table

export const moreFilters: Record<string, FilterDef> = {
  password_hash: f((v, args, kw) => passwordHash(v, args, kw)),
  strftime: f((v, args, kw) => {
    const second = arg(args, kw, 0, 'second');
    const utc = pythonTruthy(arg(args, kw, 1, 'utc', false));
    const ms = second === undefined || second === null ? Date.now() : Number(second) * 1000;
    if (!Number.isFinite(ms)) throw templateError(`Invalid value for epoch value (${String(second)})`);
    return pyStrftime(pyStr(v), ms, utc, !utc);
  }),
  human_to_bytes: f((v, args, kw) => {
    try {
      return humanToBytes(v, arg(args, kw, 0, 'default_unit'), pythonTruthy(arg(args, kw, 1, 'isbits', false)));
    } catch (e) {
      // Ansible's filter says this whatever went wrong; the reason is the hint.
      throw templateError(`human_to_bytes() can't interpret following string: ${pyStr(v)}`, e instanceof Error ? e.message : undefined);
    }
  }),
  human_readable: f((v, args, kw) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw templateError(`human_readable() can't interpret following string: ${pyStr(v)}`);
    return bytesToHuman(n, pythonTruthy(arg(args, kw, 0, 'isbits', false)), arg(args, kw, 1, 'unit'));
  }),
  urlsplit: f((v, args, kw) => urlsplit(v, arg(args, kw, 0, 'query', ''))),
  urlencode: f((v) => {
    if (isMapping(v)) return Object.entries(v).map(([k, x]) => `${pyQuote(pyStr(k), '', true)}=${pyQuote(pyStr(x), '', true)}`).join('&');
    if (Array.isArray(v)) return v.map((pair) => (Array.isArray(pair) ? `${pyQuote(pyStr(pair[0]), '', true)}=${pyQuote(pyStr(pair[1]), '', true)}` : pyQuote(pyStr(pair), '', true))).join('&');
    return pyQuote(pyStr(v), '/', false);
  }),
  urldecode: f((v) => {
    const bytes: number[] = [];
    const s = pyStr(v).replace(/\+/g, ' ');
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(s[i], 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }),
  to_uuid: f((v, args, kw) => toUuid(v, arg(args, kw, 0, 'namespace'))),
  comment: f((v, args, kw) => comment(v, String(arg(args, kw, 0, 'style', 'plain')), kw)),
  from_yaml_all: f((v) => {
    const text = pyStr(v);
    chargeParse(yamlParseCost(text), `from_yaml_all of ${text.length} characters`, 'reduce the input first');
    const docs = YAML.parseAllDocuments(text, { version: '1.1', prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) if (d.errors[0]) throw templateError(`from_yaml_all: the input is not valid YAML: ${d.errors[0].code.toLowerCase().replace(/_/g, ' ')}`);
    return list.map((d) => d.toJS({ maxAliasCount: 10000 }));
  }),
};

/** now(utc=False, fmt=None): the time as `str(datetime)`, or formatted with fmt. */
export function now(args: unknown[], kw: Kwargs): string {
  const utc = pythonTruthy(arg(args, kw, 0, 'utc', false));
  const fmt = arg(args, kw, 1, 'fmt');
  const ms = Date.now();
  return fmt === undefined || fmt === null ? pyDatetimeStr(ms, utc) : pyStrftime(pyStr(fmt), ms, utc, false);
}
