/** Command-line parsing with node:util, plus Ansible's stacked -vvv. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TsplayError } from '../errors.js';
import { didYouMean } from '../suggest.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  verbosity: number;
}

export function parse(argv: string[], options: Options, usage: string): Parsed {
  let verbosity = 0;
  const rest: string[] = [];
  for (const a of argv) {
    if (/^-v+$/.test(a)) verbosity += a.length - 1;
    else if (a === '--verbose') verbosity++;
    else rest.push(a);
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals, verbosity };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg)?.[1];
    const names = Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
    const suggestion = unknown?.startsWith('--') ? didYouMean(unknown, names) : '';
    const command = usage.split('\n')[0].replace(/^Usage: /, '').split(' <')[0].split(' [')[0];
    throw new TsplayError('option', `${msg}.${suggestion}`, { hint: `'${command} --help' lists the options` });
  }
}

export function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function intOption(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new TsplayError('option', `${name} must be a positive whole number, got '${v}'`);
  return n;
}
