// haproxy.cfg: sections and the `server` lines of one backend (or listen
// section). Sections start at a line whose first word is a section keyword and
// run to the next one; comments and blank lines between two sections belong to
// the first. Edits touch only the server line concerned, so every other byte
// (indentation, comments at line ends, other sections' servers of the same
// name) stays as it was.

import { insertLines, joinLines, refuseLineBreaks, splitLines, visible, type Line } from './lines.js';

/**
 * haproxy reads a line as words split at spaces and tabs, where '#' starts a
 * comment and quotes and backslashes are syntax: a name, an address or an
 * option word written by this editor must be one plain word on one line.
 */
function checkWord(what: string, word: string): void {
  refuseLineBreaks(what, word, 'posix', "haproxy's configuration parser", true);
  if (word === '' || /[\s#"'\\]/.test(word)) throw new Error(`${what} ${visible(word)} is not one plain word of haproxy.cfg (no spaces, '#', quotes or backslashes): written, it would not read back as written`);
}

function checkSpec(spec: ServerSpec): void {
  checkWord('the backend name', spec.backend);
  checkWord('the server name', spec.name);
  checkWord('the address', spec.address);
  const o = spec.options;
  if (o !== undefined) for (const w of typeof o === 'string' ? o.trim().split(/[ \t]+/).filter(Boolean) : o) checkWord('the server option', w);
}

/** The edit as haproxy will read it: the same sections, and the server as specified (or gone). */
function readsBack(before: string, after: string, backend: string, name: string, want?: { address: string; options: string }): string {
  const shape = (text: string) => listSections(text).map((x) => `${x.kind} ${x.name}`).join('\n');
  const servers = listServers(after, backend).filter((x) => x.name === name);
  const ok = shape(before) === shape(after) && (want ? servers.length === 1 && servers[0]!.address === want.address && servers[0]!.options === want.options : servers.length === 0);
  if (!ok) throw new Error(`the edit of server ${visible(name)} in '${backend}' would not read back as written in haproxy.cfg; edit the file by hand`);
  return after;
}

const SECTION_KEYWORDS = new Set([
  'global', 'defaults', 'listen', 'frontend', 'backend', 'peers', 'resolvers', 'userlist',
  'cache', 'program', 'mailers', 'http-errors', 'ring', 'fcgi-app',
]);

export interface HaproxySection {
  kind: string;
  /** The section's name ('' for global and unnamed defaults). */
  name: string;
  /** Line index of the header. */
  header: number;
  /** First line index after the section. */
  end: number;
}

export interface HaproxyServer {
  name: string;
  address: string;
  /** The words after the address, as written (e.g. "check inter 2s"). */
  options: string;
  line: number;
}

/** A line's words, and its comment (from '#') with the spaces that set it apart. */
function words(text: string): { words: string[]; comment: string; gap: string } {
  const m = /(^|\s)#/.exec(text);
  const hash = m ? m.index + m[1]!.length : -1;
  const body = hash < 0 ? text : text.slice(0, hash);
  return {
    words: body.trim().split(/\s+/).filter(Boolean),
    comment: hash < 0 ? '' : text.slice(hash),
    gap: hash < 0 ? '' : /\s*$/.exec(body)![0],
  };
}

export function parseSections(lines: readonly Line[]): HaproxySection[] {
  const out: HaproxySection[] = [];
  lines.forEach((l, i) => {
    const w = words(l.text).words;
    if (w.length > 0 && SECTION_KEYWORDS.has(w[0]!)) {
      if (out.length) out[out.length - 1]!.end = i;
      out.push({ kind: w[0]!, name: w[1] ?? '', header: i, end: lines.length });
    }
  });
  return out;
}

export function listSections(src: string): HaproxySection[] {
  return parseSections(splitLines(src));
}

/** The backend or listen section of that name (frontends hold no servers). */
function findProxy(lines: readonly Line[], name: string): HaproxySection {
  const s = parseSections(lines).find((x) => (x.kind === 'backend' || x.kind === 'listen') && x.name === name);
  if (!s) {
    const known = parseSections(lines).filter((x) => x.kind === 'backend' || x.kind === 'listen').map((x) => x.name);
    throw new Error(`haproxy.cfg has no backend or listen section named '${name}'` + (known.length ? ` (it has: ${known.join(', ')})` : ''));
  }
  return s;
}

function serverAt(text: string): { name: string; address: string; options: string } | undefined {
  const w = words(text).words;
  if (w[0] !== 'server' || w.length < 2) return undefined;
  return { name: w[1]!, address: w[2] ?? '', options: w.slice(3).join(' ') };
}

export function listServers(src: string, backend: string): HaproxyServer[] {
  const lines = splitLines(src);
  const s = findProxy(lines, backend);
  const out: HaproxyServer[] = [];
  for (let i = s.header + 1; i < s.end; i++) {
    const sv = serverAt(lines[i]!.text);
    if (sv) out.push({ ...sv, line: i });
  }
  return out;
}

export interface ServerSpec {
  backend: string;
  name: string;
  address: string;
  /** Words after the address; a list is joined with spaces. */
  options?: string | readonly string[];
}

function optionsText(o: ServerSpec['options']): string {
  if (o === undefined) return '';
  return (typeof o === 'string' ? o.trim().split(/\s+/) : o).filter(Boolean).join(' ');
}

/**
 * Adds the server to the backend, or updates its address and options when it
 * is there with others. A changed line keeps its indentation and its comment;
 * a new one takes the indentation of the section's last server (or its first
 * directive) and goes right after the last server line.
 */
export function setServer(src: string, spec: ServerSpec): string {
  checkSpec(spec);
  const out = setServerLine(src, spec);
  return out === src ? src : readsBack(src, out, spec.backend, spec.name, { address: spec.address, options: optionsText(spec.options) });
}

function setServerLine(src: string, spec: ServerSpec): string {
  const lines = splitLines(src);
  const s = findProxy(lines, spec.backend);
  const opts = optionsText(spec.options);
  const build = (indent: string) => `${indent}server ${spec.name} ${spec.address}${opts ? ' ' + opts : ''}`;
  let lastServer = -1;
  let lastDirective = -1;
  let firstIndent: string | undefined;
  for (let i = s.header + 1; i < s.end; i++) {
    const text = lines[i]!.text;
    const w = words(text).words;
    if (w.length === 0) continue;
    lastDirective = i;
    firstIndent ??= /^\s*/.exec(text)![0];
    const sv = serverAt(text);
    if (!sv) continue;
    lastServer = i;
    if (sv.name !== spec.name) continue;
    if (sv.address === spec.address && sv.options === opts) return src;
    const indent = /^\s*/.exec(text)![0];
    // The comment at the line's end stays, as far from the words as it was.
    const { comment, gap } = words(text);
    lines[i]!.text = build(indent) + (comment ? gap + comment : '');
    return joinLines(lines);
  }
  const after = lastServer >= 0 ? lastServer : lastDirective >= 0 ? lastDirective : s.header;
  const indent = lastServer >= 0 ? /^\s*/.exec(lines[lastServer]!.text)![0] : firstIndent ?? '    ';
  insertLines(lines, after + 1, [build(indent)]);
  return joinLines(lines);
}

/** Removes the server's line from that backend only; a server that is not there changes nothing. */
export function removeServer(src: string, backend: string, name: string): string {
  checkWord('the backend name', backend);
  checkWord('the server name', name);
  const lines = splitLines(src);
  const s = findProxy(lines, backend);
  for (let i = s.header + 1; i < s.end; i++) {
    if (serverAt(lines[i]!.text)?.name === name) {
      lines.splice(i, 1);
      return readsBack(src, joinLines(lines), backend, name);
    }
  }
  return src;
}
