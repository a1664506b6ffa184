/**
 * Ansible's `uri`, `url` and `urn` tests: Python's urlparse, which accepts
 * almost any text, so `'foo' is uri` holds; `schemes=[...]` is what narrows it.
 */
import type { TestDef } from './plugin-types.js';
import { toList } from './values.js';

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

/** urlparse's scheme and netloc, or undefined where Python's urlparse raises (not text). */
function urlParts(v: unknown): { scheme: string; netloc: string } | undefined {
  if (typeof v !== 'string') return undefined;
  let rest = v;
  let scheme = '';
  const colon = v.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(v) && SCHEME_CHARS.test(v.slice(0, colon))) {
    scheme = v.slice(0, colon).toLowerCase();
    rest = v.slice(colon + 1);
  }
  const netloc = rest.startsWith('//') ? /^\/\/([^/?#]*)/.exec(rest)![1] : '';
  return { scheme, netloc };
}

function isUri(v: unknown, schemes: unknown): boolean {
  const parts = urlParts(v);
  if (!parts) return false;
  const allowed = schemes === undefined || schemes === null ? [] : toList(schemes);
  return !allowed.length || allowed.includes(parts.scheme);
}

function isUrl(v: unknown, schemes: unknown): boolean {
  if (!isUri(v, schemes)) return false;
  const parts = urlParts(v)!;
  return parts.netloc !== '' || parts.scheme === 'file';
}

const uri: TestDef = { fn: (v, [schemes], kw) => isUri(v, kw.schemes ?? schemes) };
const url: TestDef = { fn: (v, [schemes], kw) => isUrl(v, kw.schemes ?? schemes) };
const urn: TestDef = { fn: (v) => isUri(v, ['urn']) };

export const uriTests: Record<string, TestDef> = { uri, url, urn };
