/**
 * apt's one-line sources files as Ansible's apt_repository reads and writes
 * them: every line is kept as (enabled, source, comment), whitespace in a
 * source collapsed, and a file is written back from those (`# ` before a
 * disabled line, ` # ` before a comment). Where the files live comes from
 * apt's own configuration (Dir::Etc::sourcelist, Dir::Etc::sourceparts), as
 * python-apt reads it.
 */
export const VALID_SOURCE_TYPES = ['deb', 'deb-src'];

export interface SourceLine {
  valid: boolean;
  enabled: boolean;
  source: string;
  comment: string;
}

/** Ansible's SourcesList._parse. */
export function parseSourceLine(raw: string): SourceLine & { line: string } {
  let line = raw.trim();
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) {
    enabled = false;
    line = line.slice(1);
  }
  const i = line.indexOf('#');
  if (i > 0) {
    comment = line.slice(i + 1).trim();
    line = line.slice(0, i);
  }
  let source = line.trim();
  let valid = false;
  if (source) {
    const chunks = source.split(/\s+/);
    if (VALID_SOURCE_TYPES.includes(chunks[0])) {
      valid = true;
      source = chunks.join(' ');
    }
  }
  return { valid, enabled, source, comment, line };
}

/** A file's lines as Ansible keeps them (Python's iteration over a file: the last line may lack its newline). */
export function parseSourcesFile(text: string): SourceLine[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => {
    const { line: _line, ...rest } = parseSourceLine(l);
    return rest;
  });
}

/** A file as Ansible writes it back. */
export function dumpSources(lines: SourceLine[]): string {
  return lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('');
}

/** Ansible's _suggest_filename: the repository's host and path, words joined by `_`, plus .list (or filename plus .list). */
export function suggestFilename(source: string, filename?: string): string {
  if (filename !== undefined) return `${filename}.list`;
  let line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = line.split(/\s+/).filter((p) => p !== '' && !VALID_SOURCE_TYPES.includes(p));
  if (parts[0]?.includes('@')) parts[0] = parts[0].split('@').slice(1).join('@');
  line = (parts[0] ?? '').replace(/[^a-zA-Z0-9]/g, ' ');
  return `${line.split(/\s+/).filter(Boolean).join('_')}.list`;
}

/** A script printing apt's sources file and parts directory (`F`, `D`), then every file (`S`, path, its bytes in base64). */
export const READ_SOURCES = [
  'command -v apt-config >/dev/null 2>&1 || { echo NOAPT; exit 0; }',
  'eval "$(apt-config shell D Dir::Etc::sourceparts/d F Dir::Etc::sourcelist/f)"',
  'printf "F\\t%s\\nD\\t%s\\n" "$F" "$D"',
  'for f in "$F" "${D%/}"/*.list; do if [ -f "$f" ]; then printf "S\\t%s\\t" "$f"; base64 -w0 < "$f"; echo; fi; done',
].join('\n');

export interface SourcesOnHost {
  sourcelist: string;
  sourceparts: string;
  /** Path to text, in apt's order (sources.list first). */
  files: Map<string, string>;
}

export function parseSourcesOnHost(out: string): SourcesOnHost | undefined {
  const s: SourcesOnHost = { sourcelist: '', sourceparts: '', files: new Map() };
  for (const line of out.split('\n')) {
    if (line === 'NOAPT') return undefined;
    const [tag, a, b] = line.split('\t');
    if (tag === 'F') s.sourcelist = a;
    else if (tag === 'D') s.sourceparts = a.replace(/\/+$/, '');
    else if (tag === 'S') s.files.set(a, Buffer.from(b ?? '', 'base64').toString('utf8'));
  }
  return s;
}
