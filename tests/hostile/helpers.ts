/** Hostile inputs shared by the tests under tests/hostile and tests/fuzz. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes files (name → content, text or bytes) into a new temp dir and returns it. */
export function project(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-hostile-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** "Billion laughs": `levels` levels of anchors, each an alias list of the previous one ten times. */
export function laughs(levels: number, indent = '', prefix = 'lol'): string {
  const lines = [`${indent}${prefix}0: &${prefix}0 "lol"`];
  for (let i = 1; i <= levels; i++) {
    lines.push(`${indent}${prefix}${i}: &${prefix}${i} [${Array(10).fill(`*${prefix}${i - 1}`).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/** A snapshot of Object.prototype (own names and descriptors) to compare after hostile runs. */
export function prototypeSnapshot(): string {
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  return JSON.stringify(names) + String(Object.getPrototypeOf(Object.prototype)) + JSON.stringify(Object.keys({}));
}

export const play = (body: string, vars = ''): string =>
  `- hosts: localhost\n  gather_facts: false\n${vars ? `  vars:\n${vars}` : ''}  tasks:\n${body}`;
