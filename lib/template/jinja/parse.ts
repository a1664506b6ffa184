// Jinja statements into a tree: if/elif/else, for (with a target tuple, an
// `if` filter and an else branch), set, and text/expression leaves. Any other
// statement is refused with its position, never skipped.

import { templateError } from '../values.js';
import { lex, where, type Pos } from './lexer.js';

export type JNode =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; src: string; pos: Pos }
  | { kind: 'if'; branches: { cond: string; pos: Pos; body: JNode[] }[]; otherwise?: JNode[] }
  | { kind: 'for'; targets: string[]; iter: string; filter?: string; pos: Pos; body: JNode[]; otherwise?: JNode[] }
  | { kind: 'set'; name: string; src: string; pos: Pos };

const SUPPORTED = 'if/elif/else/endif, for/else/endfor, set, raw and {# comments #}';
const IDENT = /^[A-Za-z_]\w*$/;

/** Splits `x in list if cond` at the top-level ` in ` and ` if `, outside brackets and strings. */
function splitTop(src: string, word: string): [string, string] | undefined {
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
    else if (depth === 0 && src.startsWith(` ${word} `, i)) return [src.slice(0, i).trim(), src.slice(i + word.length + 2).trim()];
  }
  return undefined;
}

export function parseJinja(src: string): JNode[] {
  const tokens = lex(src);
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
      if (['endif', 'endfor', 'elif', 'else'].includes(word)) throw templateError(`'{% ${word} %}' at ${where(t.pos)} has no matching opening statement`);
      throw templateError(`'{% ${t.src} %}' at ${where(t.pos)} is not supported`, `supported statements: ${SUPPORTED}`);
    }
    return { nodes };
  };
  const top = block([]);
  return top.nodes;
}
