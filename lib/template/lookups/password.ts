/**
 * `password`: a random password kept in a controller file, as Ansible's
 * password lookup: `lookup('password', 'path length=N chars=ascii_letters,digits')`.
 * The first use creates the file (its folder 0700, the file 0600, written
 * atomically: a temporary file renamed into place), later uses read it back.
 * `/dev/null` makes a new password every time. In check mode a missing file
 * is not created: the password is made for this run only (docs/differences.md).
 * Every password it gives is a known secret: masked in all output, as vault
 * values are (a very short one would mask ordinary text, so those are not).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, basename } from 'node:path';
import { parseKeyValues } from '../../util/free-form.js';
import { registerSecret } from '../../util/secrets.js';
import { lookupFailure, type LookupEnv, type LookupPlugin } from './types.js';

/** Python's string module constants, which `chars=` names. */
const CHAR_SETS: Record<string, string> = {
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];
const KNOWN = ['length', 'chars', 'encrypt', 'ident', 'seed'];
/** A bound for length=: a password file is not a place for megabytes. */
const MAX_LENGTH = 4096;

interface Params {
  path: string;
  length: number;
  chars: string;
}

/** `chars=` as Ansible splits it: names or literal characters separated by commas, `,,` for a comma itself. */
function charList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  const s = String(v);
  const out = s.includes(',,') ? [','] : [];
  out.push(...s.replaceAll(',,', ',').split(',').filter(Boolean));
  return out;
}

function parseTerm(term: string, kw: Record<string, unknown>): Params {
  const space = term.indexOf(' ');
  const path = space < 0 ? term : term.slice(0, space);
  const options: Record<string, unknown> = { ...kw };
  if (space >= 0) {
    const { args, rest } = parseKeyValues(term.slice(space + 1));
    if (rest) throw lookupFailure('Unrecognized value after key=value parameters given to password lookup');
    Object.assign(options, args);
  }
  const unknown = Object.keys(options).filter((k) => !KNOWN.includes(k));
  if (unknown.length) throw lookupFailure(`Unrecognized parameter(s) given to password lookup: ${unknown.join(', ')}`);
  if (options.encrypt !== undefined && options.encrypt !== null) {
    throw lookupFailure('the password lookup of tsplay keeps plain passwords only: encrypt= is not supported', 'hash the password where it is used: {{ pw | password_hash(\'sha512\') }}');
  }
  if (options.seed !== undefined) throw lookupFailure('the password lookup of tsplay does not take seed=: a seeded password is predictable');
  const length = options.length === undefined ? 20 : Number(options.length);
  if (!Number.isInteger(length) || length < 1 || length > MAX_LENGTH) throw lookupFailure(`length=${String(options.length)} must be a whole number from 1 to ${MAX_LENGTH}`);
  const chars = [...new Set([...charList(options.chars ?? DEFAULT_CHARS).map((c) => CHAR_SETS[c] ?? c).join('')])].join('');
  if (!chars) throw lookupFailure('chars= names no characters');
  return { path, length, chars };
}

function generate(p: Params): string {
  let out = '';
  for (let i = 0; i < p.length; i++) out += p.chars[randomInt(p.chars.length)];
  return out;
}

/** Writes the file whole or not at all: a temporary file with mode 0600 in the same folder, synced, renamed over. */
function writePasswordFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, content + '\n');
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

function onePassword(term: string, kw: Record<string, unknown>, env: LookupEnv): string {
  const p = parseTerm(term, kw);
  if (p.path === '/dev/null') return generate(p);
  const path = isAbsolute(p.path) ? p.path : join(env.baseDir, p.path);
  if (existsSync(path)) {
    // A file written with encrypt= holds `password salt=...`; the password is the part before it.
    const content = readFileSync(path, 'utf8').trim();
    return content.split(' salt=')[0].split(' ident=')[0];
  }
  const password = generate(p);
  if (!env.checkMode) {
    try {
      writePasswordFile(path, password);
    } catch (e) {
      throw lookupFailure(`cannot write the password file ${path}: ${(e as Error).message}`);
    }
  }
  return password;
}

/** Below this length a password is too likely to appear as ordinary text to be masked everywhere. */
const MASK_MIN_LENGTH = 6;

export const password: LookupPlugin = (terms, kw, env) =>
  terms.map((term) => {
    const pw = onePassword(String(term), kw, env);
    if (pw.length >= MASK_MIN_LENGTH) registerSecret(pw);
    return pw;
  });
