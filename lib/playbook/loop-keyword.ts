/**
 * Which loop a task or include has: `loop:` or one `with_<lookup>:`. Any
 * `with_` name is accepted when the playbook is read, as Ansible does; an
 * unknown lookup fails the task when it runs, with Ansible's message.
 */
import { TsplayError } from '../errors.js';
import { isWithLookup, knownLookups } from '../template/lookups/index.js';
import { didYouMean } from '../suggest.js';
import { keyPos } from './yaml-source.js';

/** Lookups of collections people still write as with_<name>, and what does the same with ansible-core. */
const fromCollections: Record<string, string> = {
  flattened: 'use loop: "{{ the_list | flatten }}" instead',
  cartesian: "use with_nested, or loop: \"{{ a | product(b) | list }}\" instead",
};

export interface LoopKeyword {
  key?: string;
  loop?: unknown;
  loopWith?: string;
}

export const isWithKey = (k: string): boolean => /^with_[A-Za-z0-9_]+$/.test(k);

export function loopKeyword(obj: Record<string, unknown>): LoopKeyword {
  const keys = Object.keys(obj).filter((k) => k === 'loop' || isWithKey(k));
  if (keys.length > 1) {
    throw new TsplayError('validation', `duplicate loop in task: ${keys[1].replace(/^with_/, '')}`, {
      pos: keyPos(obj, keys[1]),
      hint: `keep one of ${keys.join(', ')}`,
    });
  }
  const key = keys[0];
  if (key === undefined) return {};
  const loopWith = key === 'loop' ? undefined : key.slice('with_'.length);
  if (loopWith !== undefined && !isWithLookup(loopWith)) {
    // Ansible looks the lookup up when it reads the task: an unknown one is a parse error (exit 4).
    const suggestion = didYouMean(key, knownLookups().map((l) => `with_${l}`));
    throw new TsplayError('validation', `'${key}' is not a valid attribute for a Task${suggestion ? `.${suggestion}` : ''}`, {
      pos: keyPos(obj, key),
      hint: fromCollections[loopWith] ?? `the with_ loops are: ${knownLookups().map((l) => `with_${l}`).join(', ')}; or use loop:`,
    });
  }
  return { key, loop: obj[key], loopWith };
}
