/**
 * A template file's `#jinja2:` first line, which Ansible's template module
 * and template lookup read: `#jinja2: trim_blocks: False, variable_start_string: '[%'`.
 * Each `key: value` pair (values are Python literals) overrides one Jinja
 * setting for this file; the line itself is not part of the template.
 */
import { literalEval, NOT_LITERAL } from '../literal.js';
import { templateError } from '../values.js';
import { DEFAULT_LEX, type LexOptions } from './lexer.js';

const HEADER = '#jinja2:';

const SETTINGS: Record<string, { key: keyof LexOptions; type: 'string' | 'boolean' }> = {
  variable_start_string: { key: 'variableStart', type: 'string' },
  variable_end_string: { key: 'variableEnd', type: 'string' },
  block_start_string: { key: 'blockStart', type: 'string' },
  block_end_string: { key: 'blockEnd', type: 'string' },
  comment_start_string: { key: 'commentStart', type: 'string' },
  comment_end_string: { key: 'commentEnd', type: 'string' },
  newline_sequence: { key: 'newlineSequence', type: 'string' },
  trim_blocks: { key: 'trimBlocks', type: 'boolean' },
  lstrip_blocks: { key: 'lstripBlocks', type: 'boolean' },
  keep_trailing_newline: { key: 'keepTrailingNewline', type: 'boolean' },
};

/** The template without its header line, and the settings to render it with. */
export function readJinjaHeader(source: string, base: Readonly<LexOptions> = DEFAULT_LEX): { body: string; options: Readonly<LexOptions> } {
  if (!source.startsWith(HEADER)) return { body: source, options: base };
  // As Ansible slices it: a header without a newline loses its last character and the text stays whole.
  const eol = source.indexOf('\n');
  const line = source.slice(HEADER.length, eol < 0 ? -1 : eol);
  const body = eol < 0 ? source : source.slice(eol + 1);
  const options: LexOptions = { ...base };
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw headerError(`failed to parse jinja2 override '${pair.trim()}'`, "write 'name: value' pairs separated by commas");
    const name = pair.slice(0, colon).trim();
    const text = pair.slice(colon + 1).trim();
    const setting = Object.hasOwn(SETTINGS, name) ? SETTINGS[name]! : undefined;
    if (!setting) throw headerError(`unknown jinja2 override '${name}'`, `use one of ${Object.keys(SETTINGS).join(', ')}`);
    const value = literalEval(text);
    if (value === NOT_LITERAL || typeof value !== setting.type) throw headerError(`jinja2 override '${name}' needs a ${setting.type === 'string' ? "quoted string, e.g. '[%'" : 'True or False'}, not ${text}`);
    if (setting.type === 'string' && value === '') throw headerError(`jinja2 override '${name}' cannot be empty`);
    (options as unknown as Record<string, unknown>)[setting.key] = value;
  }
  if (!['\n', '\r', '\r\n'].includes(options.newlineSequence)) throw headerError("newline_sequence must be '\\n', '\\r' or '\\r\\n'");
  return { body, options };
}

function headerError(message: string, hint?: string) {
  return templateError(`line 1, column 1: ${message}`, hint);
}
