/** Splits a play's hosts into batches the way Ansible reads `serial`: a number, a percentage, or a list whose last entry repeats. */
import { TsplayError } from '../errors.js';

export function batches(hosts: string[], serial: unknown): string[][] {
  if (serial === undefined || serial === null || serial === 0 || serial === '0') return [hosts];
  const steps = Array.isArray(serial) ? serial : [serial];
  if (steps.length === 0) return [hosts];
  const out: string[][] = [];
  let i = 0;
  let step = 0;
  while (i < hosts.length) {
    const size = batchSize(steps[Math.min(step, steps.length - 1)], hosts.length);
    out.push(hosts.slice(i, i + size));
    i += size;
    step++;
  }
  return out;
}

function batchSize(spec: unknown, total: number): number {
  if (typeof spec === 'number' && Number.isInteger(spec) && spec > 0) return spec;
  const s = String(spec).trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (pct) return Math.max(1, Math.floor((Number(pct[1]) / 100) * total));
  if (/^\d+$/.test(s) && Number(s) > 0) return Number(s);
  throw new TsplayError('validation', `serial must be a positive number, a percentage or a list of them, got ${JSON.stringify(spec)}`);
}
