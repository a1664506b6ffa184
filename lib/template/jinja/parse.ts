// Jinja statements into a tree: if/elif/else, for (with a target tuple, an
// `if` filter and an else branch), set, and text/expression leaves. Any other
// statement is refused with its position, never skipped.

import { templateError } from '../values.js';
import { DEFAULT_LEX, lex, where, type LexOptions, type Pos } from './lexer.js';

export type JNode =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; src: string; pos: Pos }
  | { kind: 'if'; branches: { cond: string; pos: Pos; body: JNode[] }[]; otherwise?: JNode[] }
  | { kind: 'for'; targets: string[]; iter: string; filter?: string; pos: Pos; body: JNode[]; otherwise?: JNode[] }
  | { kind: 'set'; name: string; src: string; pos: Pos }
  | { kind: 'macro'; name: string; params: MacroParam[]; body: JNode[]; pos: Pos; uses: MacroUses }
  | { kind: 'call'; params: MacroParam[]; src: string; body: JNode[]; pos: Pos; uses: MacroUses };

/** A macro parameter and the source of its default, evaluated at each call. */
export interface MacroParam {
  name: string;
  dflt?: string;
}

/** Which of Jinja's special names a macro body refers to: they decide what extra arguments it accepts. */
export interface MacroUses {
  varargs: boolean;
  kwargs: boolean;
  caller: boolean;
}

const SUPPORTED = 'if/elif/else/endif, for/else/endfor, set, macro/endmacro, call/endcall, raw and {# comments #}';
const IDENT = /^[A-Za-z_]\w*$/;

/** Calls `at` with each offset outside brackets and string literals, until it returns true. */
function scanTopLevel(src: string, at: (i: number) => boolean | void): void {
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && at(i)) return;
  }
}

/** Splits `x in list if cond` at the top-level ` in ` and ` if `, outside brackets and strings. */
function splitTop(src: string, word: string): [string, string] | undefined {
  let found: [string, string] | undefined;
  scanTopLevel(src, (i) => {
    if (!src.startsWith(` ${word} `, i)) return false;
    found = [src.slice(0, i).trim(), src.slice(i + word.length + 2).trim()];
    return true;
  });
  return found;
}

/** Splits at top-level commas, outside brackets and strings. */
function splitCommas(src: string): string[] {
  const out: string[] = [];
  let from = 0;
  scanTopLevel(src, (i) => {
    if (src[i] !== ',') return;
    out.push(src.slice(from, i));
    from = i + 1;
  });
  out.push(src.slice(from));
  const parts = out.map((p) => p.trim());
  // A trailing comma is allowed: (a, b,)
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The offset of the bracket closing the one at `open`, or -1. */
function closing(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return i;
  }
  return -1;
}

function parseParams(src: string, stmt: string, pos: Pos): MacroParam[] {
  const params: MacroParam[] = [];
  for (const part of splitCommas(src)) {
    const m = /^([A-Za-z_]\w*)\s*(?:=(?!=)\s*([\s\S]+))?$/.exec(part);
    if (!m) throw templateError(`'{% ${stmt} %}' at ${where(pos)}: expected a parameter name (name or name=default), not '${part}'`);
    if (params.some((p) => p.name === m[1])) throw templateError(`'{% ${stmt} %}' at ${where(pos)}: duplicate parameter '${m[1]}'`);
    if (m[2] === undefined && params.some((p) => p.dflt !== undefined)) throw templateError(`'{% ${stmt} %}' at ${where(pos)}: non-default argument '${m[1]}' follows default argument`);
    params.push({ name: m[1]!, dflt: m[2] });
  }
  return params;
}

/** The expression sources of a body, nested ones included. */
function sources(nodes: readonly JNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.kind === 'expr' || n.kind === 'set') out.push(n.src);
    else if (n.kind === 'if') {
      for (const b of n.branches) {
        out.push(b.cond);
        sources(b.body, out);
      }
      sources(n.otherwise ?? [], out);
    } else if (n.kind === 'for') {
      out.push(n.iter, n.filter ?? '');
      sources(n.body, out);
      sources(n.otherwise ?? [], out);
    } else if (n.kind === 'macro' || n.kind === 'call') {
      if (n.kind === 'call') out.push(n.src);
      for (const p of n.params) out.push(p.dflt ?? '');
      sources(n.body, out);
    }
  }
  return out;
}

function uses(body: readonly JNode[]): MacroUses {
  const text = sources(body).join('\n');
  return { varargs: /\bvarargs\b/.test(text), kwargs: /\bkwargs\b/.test(text), caller: /\bcaller\b/.test(text) };
}

export function parseJinja(src: string, options: Readonly<LexOptions> = DEFAULT_LEX): JNode[] {
  const tokens = lex(src, options);
  let i = 0;
  // Parses nodes until one of the `stops` statements; returns them and the stop met.
  const block = (stops: string[]): { nodes: JNode[]; stop?: { word: string; rest: string; pos: Pos } } => {
    const nodes: JNode[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      if (t.kind === 'expr') {
        if (t.src === '') throw templateError(`empty expression '{{ }}' at ${where(t.pos)}`);
        nodes.push({ kind: 'expr', src: t.src, pos: t.pos });
        continue;
      }
      const m = /^(\w+)\s*([\s\S]*)$/.exec(t.src);
      const word = m?.[1] ?? '';
      const rest = (m?.[2] ?? '').trim();
      if (stops.includes(word)) return { nodes, stop: { word, rest, pos: t.pos } };
      if (word === 'if') {
        const branches: { cond: string; pos: Pos; body: JNode[] }[] = [];
        let cond = rest;
        let pos = t.pos;
        let otherwise: JNode[] | undefined;
        for (;;) {
          if (!cond) throw templateError(`'{% if %}' without a condition at ${where(pos)}`);
          const b = block(['elif', 'else', 'endif']);
          branches.push({ cond, pos, body: b.nodes });
          if (!b.stop) throw templateError(`'{% if %}' at ${where(t.pos)} has no '{% endif %}'`);
          if (b.stop.word === 'elif') {
            cond = b.stop.rest;
            pos = b.stop.pos;
            continue;
          }
          if (b.stop.word === 'else') {
            const e = block(['endif']);
            if (!e.stop) throw templateError(`'{% if %}' at ${where(t.pos)} has no '{% endif %}'`);
            otherwise = e.nodes;
          }
          break;
        }
        nodes.push({ kind: 'if', branches, otherwise });
        continue;
      }
      if (word === 'for') {
        const head = splitTop(rest, 'in');
        if (!head) throw templateError(`'{% for ${rest} %}' at ${where(t.pos)}: expected 'for NAME in LIST'`);
        const targets = head[0].split(',').map((s) => s.trim()).filter(Boolean);
        if (targets.length === 0 || !targets.every((n) => IDENT.test(n))) throw templateError(`'{% for ${rest} %}' at ${where(t.pos)}: loop variables must be names`);
        if (/\brecursive\s*$/.test(head[1])) throw templateError(`recursive loops are not supported (${where(t.pos)})`, `supported statements: ${SUPPORTED}`);
        const withFilter = splitTop(head[1], 'if');
        const b = block(['else', 'endfor']);
        if (!b.stop) throw templateError(`'{% for %}' at ${where(t.pos)} has no '{% endfor %}'`);
        let otherwise: JNode[] | undefined;
        if (b.stop.word === 'else') {
          const e = block(['endfor']);
          if (!e.stop) throw templateError(`'{% for %}' at ${where(t.pos)} has no '{% endfor %}'`);
          otherwise = e.nodes;
        }
        nodes.push({ kind: 'for', targets, iter: withFilter ? withFilter[0] : head[1], filter: withFilter?.[1], pos: t.pos, body: b.nodes, otherwise });
        continue;
      }
      if (word === 'set') {
        const eq = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(rest);
        if (!eq) throw templateError(`'{% set ${rest} %}' at ${where(t.pos)} is not supported: only '{% set name = expression %}'`, `supported statements: ${SUPPORTED}`);
        nodes.push({ kind: 'set', name: eq[1]!, src: eq[2]!, pos: t.pos });
        continue;
      }
      if (word === 'macro') {
        const m = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/.exec(rest);
        if (!m) throw templateError(`'{% macro ${rest} %}' at ${where(t.pos)}: expected 'macro name(parameters)'`);
        const params = parseParams(m[2]!, `macro ${rest}`, t.pos);
        const b = block(['endmacro']);
        if (!b.stop) throw templateError(`'{% macro ${m[1]} %}' at ${where(t.pos)} has no '{% endmacro %}'`);
        if (b.stop.rest) throw templateError(`'{% endmacro ${b.stop.rest} %}' at ${where(b.stop.pos)}: endmacro takes no name`);
        nodes.push({ kind: 'macro', name: m[1]!, params, body: b.nodes, pos: t.pos, uses: uses(b.nodes) });
        continue;
      }
      if (word === 'call') {
        // {% call(args) m(...) %}: the parameters of caller(), then the macro call.
        let params: MacroParam[] = [];
        let expr = rest;
        if (rest.startsWith('(')) {
          const end = closing(rest, 0);
          if (end < 0) throw templateError(`'{% call ${rest} %}' at ${where(t.pos)}: unbalanced parentheses`);
          params = parseParams(rest.slice(1, end), `call ${rest}`, t.pos);
          expr = rest.slice(end + 1).trim();
        }
        if (!/^[A-Za-z_]\w*\s*\([\s\S]*\)$/.test(expr) || closing(expr, expr.indexOf('(')) !== expr.length - 1) {
          throw templateError(`'{% call ${rest} %}' at ${where(t.pos)}: expected 'call macro_name(arguments)'`);
        }
        const b = block(['endcall']);
        if (!b.stop) throw templateError(`'{% call %}' at ${where(t.pos)} has no '{% endcall %}'`);
        nodes.push({ kind: 'call', params, src: expr, body: b.nodes, pos: t.pos, uses: uses(b.nodes) });
        continue;
      }
      if (['endif', 'endfor', 'elif', 'else', 'endmacro', 'endcall'].includes(word)) throw templateError(`'{% ${word} %}' at ${where(t.pos)} has no matching opening statement`);
      throw templateError(`'{% ${t.src} %}' at ${where(t.pos)} is not supported`, `supported statements: ${SUPPORTED}`);
    }
    return { nodes };
  };
  const top = block([]);
  return top.nodes;
}
