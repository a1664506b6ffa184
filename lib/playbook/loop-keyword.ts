/**
 * Which loop a task or include has: `loop:` or one `with_<lookup>:`. Any
 * `with_` name is accepted when the playbook is read, as Ansible does; an
 * unknown lookup fails the task when it runs, with Ansible's message.
 */
import { TsplayError } from '../errors.js';
import { keyPos } from './yaml-source.js';

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
  return { key, loop: obj[key], loopWith: key === 'loop' ? undefined : key.slice('with_'.length) };
}
