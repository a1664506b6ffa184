/**
 * Splits a template string into Jinja-style `{{ expr }}` expressions and
 * Handlebars block syntax, and writes the Handlebars source that assembles
 * the string: each expression becomes a call of the `__e` helper (which runs
 * the expression evaluator), block openers get their condition or list the
 * same way through `__v` (`{{#each (__v 1)}}`), and closers/else pass through.
 */
import { templateError } from './values.js';

export interface Translation {
  /** Handlebars source. */
  source: string;
  /** Expression sources, indexed by the number passed to `__e`. */
  exprs: string[];
  /** Set when the whole template is one `{{ expr }}` (whitespace around allowed): its value is returned natively. */
  single?: string;
}

const BLOCKS = new Set(['if', 'unless', 'each', 'with']);

interface Mustache {
  start: number;
  end: number;
  inner: string;
  stripBefore: boolean;
  stripAfter: boolean;
}

/** Finds the `}}` closing a mustache, skipping string literals and dict-literal braces. */
function scanMustache(src: string, start: number): Mustache {
  let i = start + 2;
  const triple = src[i] === '{';
  if (triple) i++;
  let depth = 0;
  const from = i;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== ch) j += src[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0 && src[i + 1] === '}') {
        let inner = src.slice(from, i);
        let end = i + 2;
        if (triple && src[end] === '}') end++;
        let stripBefore = false;
        let stripAfter = false;
        if (/^[~-]/.test(inner)) {
          stripBefore = true;
          inner = inner.slice(1);
        }
        if (/[~-]$/.test(inner)) {
          stripAfter = true;
          inner = inner.slice(0, -1);
        }
        return { start, end, inner: inner.trim(), stripBefore, stripAfter };
      }
      if (depth > 0) depth--;
    }
    i++;
  }
  throw templateError(`unclosed '{{' in template: ${src.slice(start, start + 40)}`, "close it with '}}'");
}

export function translate(src: string): Translation {
  if (src.includes('{%')) {
    throw templateError(
      `Jinja statements ({% ... %}) are not supported: ${excerpt(src, src.indexOf('{%'))}`,
      'use Handlebars blocks instead: {{#if cond}}...{{else}}...{{/if}}, {{#each list}}{{ this }}{{/each}}; or a filter such as join',
    );
  }
  const exprs: string[] = [];
  const blockParams: string[][] = [];
  let out = '';
  let pos = 0;
  let count = 0;
  let lastExpr: Mustache | undefined;
  for (let at = src.indexOf('{{'); at >= 0; at = src.indexOf('{{', pos)) {
    const m = scanMustache(src, at);
    count++;
    let text = src.slice(pos, at);
    if (text.endsWith('\\')) text += '\\'; // a backslash is literal in Jinja, an escape in Handlebars
    out += text;
    pos = m.end;
    const open = m.stripBefore ? '{{~' : '{{';
    const close = m.stripAfter ? '~}}' : '}}';
    const inner = m.inner;
    const visible = blockParams.flat();
    // __e prints a value into the text; __v passes it to a block as it is.
    const call = (expr: string, helper = '__e') => {
      exprs.push(expr);
      return `${helper} ${exprs.length - 1}${visible.map((p) => ` ${p}=${p}`).join('')}`;
    };
    if (inner.startsWith('!')) continue; // Handlebars comment
    if (inner.startsWith('>')) throw templateError(`Handlebars partials are not supported: {{${inner}}}`);
    if (inner.startsWith('#') || (inner.startsWith('^') && inner.length > 1)) {
      const mm = /^([#^])\s*([A-Za-z_]\w*)\s*([\s\S]*)$/.exec(inner);
      if (!mm || !BLOCKS.has(mm[2])) throw templateError(`unknown block helper {{${inner}}}`, `supported blocks: ${[...BLOCKS].map((b) => `{{#${b} ...}}`).join(' ')}`);
      let rest = mm[3].trim();
      const bp = /\s*\bas\s*\|([^|]*)\|\s*$/.exec(rest);
      const params = bp ? bp[1].trim().split(/\s+/).filter(Boolean) : [];
      if (bp) rest = rest.slice(0, bp.index).trim();
      if (!rest) throw templateError(`{{${inner}}} needs an expression`, `e.g. {{#${mm[2]} groups.etcd}}`);
      out += `${open}${mm[1]}${mm[2]} (${call(rest, '__v')})${params.length ? ` as |${params.join(' ')}|` : ''}${close}`;
      blockParams.push(params);
      continue;
    }
    if (inner.startsWith('/')) {
      if (!blockParams.length) throw templateError(`{{${inner}}} closes a block that was not opened`);
      blockParams.pop();
      out += `${open}${inner}${close}`;
      continue;
    }
    if (inner === 'else' || inner === '^') {
      out += `${open}else${close}`;
      continue;
    }
    const elseIf = /^else\s+(if|unless)\s+([\s\S]+)$/.exec(inner);
    if (elseIf) {
      out += `${open}else ${elseIf[1]} (${call(elseIf[2], '__v')})${close}`;
      continue;
    }
    if (inner === '') throw templateError(`empty expression {{ }} in template: ${excerpt(src, at)}`);
    out += `${open}${call(inner)}${close}`;
    lastExpr = m;
  }
  out += src.slice(pos);
  const single = count === 1 && lastExpr && src.slice(0, lastExpr.start).trim() === '' && src.slice(lastExpr.end).trim() === '' ? lastExpr.inner : undefined;
  return { source: out, exprs, single };
}

function excerpt(src: string, at: number): string {
  const s = src.slice(at, at + 40);
  return at + 40 < src.length ? s + '...' : s;
}
