/**
 * Host names in inventories: Ansible's `parse_address` (host plus optional
 * `:port`) and `expand_hostname_range` (`web[01:10:2].example.com`,
 * `node-[a:c]`), with the same quirks, so the same lines give the same hosts.
 */

const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const ipv6c = `(?:[0-9a-f]{1,4}|${hexRange})`;
const ipv4c = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const label = `(?:[\\p{L}\\p{N}_]|${alnumRange})(?:[\\p{L}\\p{N}_-]|${alnumRange})*(?<![_-])`;

const bracketedHostport = /^\[(.+)\]:([0-9]+)$/;
const hostport = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
export const ipv4Re = new RegExp(`^(?:${ipv4c}\\.){3}${ipv4c}$`, 'i');
const c6 = ipv6c;
export const ipv6Re = new RegExp(
  '^(?:' +
    [
      `(?:${c6}:){7}${c6}`,
      `(?:${c6}:){1,6}:`,
      `(?:${c6}:)(?::${c6}){1,6}`,
      `(?:${c6}:){2}(?::${c6}){1,5}`,
      `(?:${c6}:){3}(?::${c6}){1,4}`,
      `(?:${c6}:){4}(?::${c6}){1,3}`,
      `(?:${c6}:){5}(?::${c6}){1,2}`,
      `(?:${c6}:){6}(?::${c6})`,
      `:(?::${c6}){1,6}`,
      `${c6}?::`,
      `(?:0:){6}(?:${c6}\\.){3}${c6}`,
      `::(?:ffff:)?(?:${c6}\\.){3}${c6}`,
      `(?:0:){5}ffff:(?:${c6}\\.){3}${c6}`,
    ].join('|') +
    ')$',
  'i',
);
const hostnameRe = new RegExp(`^${label}(?:\\.${label})*$`, 'iu');
// The same for ASCII names: a Unicode property class takes milliseconds to
// compile, which every run would pay for its first host name.
const asciiLabel = label.replace(/\\p\{L\}\\p\{N\}/g, 'a-z0-9');
const asciiHostnameRe = new RegExp(`^${asciiLabel}(?:\\.${asciiLabel})*$`, 'i');
const isAscii = (s: string) => !/[^\x00-\x7f]/.test(s);
const isHostname = (s: string) => (isAscii(s) ? asciiHostnameRe : hostnameRe).test(s);

/**
 * Split `host:port`. Returns undefined when the text is not a recognisable
 * host (Ansible then keeps the whole text as the host name, without a port).
 */
export function parseAddress(address: string, allowRanges: boolean): { host: string; port?: number } | undefined {
  let port: number | undefined;
  let addr = address;
  for (const re of [bracketedHostport, hostport]) {
    const m = re.exec(addr);
    if (m) {
      addr = m[1];
      port = parseInt(m[2], 10);
    }
  }
  if (!(ipv4Re.test(addr) || ipv6Re.test(addr) || isHostname(addr))) return undefined;
  if (!allowRanges && addr.includes('[')) return undefined;
  return { host: addr, port };
}

export class RangeError_ extends Error {}

const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * More hosts than any inventory holds: a range beyond it is a typo or an
 * attack, and expanding it would keep the controller busy (deaf to signals)
 * and fill its memory.
 */
export const MAX_RANGE_HOSTS = 100_000;

/** Expand every `[begin:end(:step)]` in a host name, left to right, as Ansible does. */
export function expandHostRange(line: string, budget = { left: MAX_RANGE_HOSTS }): string[] {
  const open = line.indexOf('[');
  const close = line.indexOf(']');
  if (open < 0) return [line];
  // Ansible replaces the first '[' and the first ']' with '|' and splits on '|'.
  const replaced = line.replace('[', '|').replace(']', '|');
  const parts = replaced.split('|');
  if (close < 0 || parts.length !== 3) {
    throw new RangeError_(`host range in '${line}' must be one [begin:end] or [begin:end:step] with matching brackets`);
  }
  const [head, nrange, tail] = parts;
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new RangeError_('host range must be begin:end or begin:end:step');
  let beg = bounds[0];
  const end = bounds[1];
  const stepText = bounds.length === 3 ? bounds[2] : '1';
  if (!beg) beg = '0';
  if (!end) throw new RangeError_('host range must specify end value');
  let fill = (x: string | number) => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    const rlen = beg.length;
    if (rlen !== end.length) throw new RangeError_('host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(rlen, '0');
  }
  const toInt = (s: string): number => {
    // Python's int(): optional sign, digits, underscores between digits, surrounding spaces.
    if (!/^\s*[+-]?[0-9](?:_?[0-9])*\s*$/.test(s)) throw new RangeError_(`invalid number '${s}' in host range [${nrange}]`);
    return parseInt(s.replace(/_/g, ''), 10);
  };
  const step = toInt(stepText);
  let seq: (string | number)[];
  const ib = beg.length === 1 ? ASCII_LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? ASCII_LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new RangeError_('host range must have begin <= end');
    if (step <= 0) throw new RangeError_('host range step must be a positive number');
    seq = [];
    for (let i = ib; i <= ie; i += step) seq.push(ASCII_LETTERS[i]);
  } else {
    const b = toInt(beg);
    const e = toInt(end);
    if (step === 0) throw new RangeError_('host range step must not be zero');
    seq = [];
    const count = step > 0 ? Math.floor((e - b) / step) + 1 : Math.ceil((e + 1 - b) / step);
    if (count > budget.left) throw new RangeError_(`host range [${nrange}] stands for more than ${MAX_RANGE_HOSTS} hosts`);
    if (step > 0) for (let i = b; i <= e; i += step) seq.push(i);
    else for (let i = b; i > e + 1; i += step) seq.push(i);
  }
  const out: string[] = [];
  for (const r of seq) {
    const name = head + fill(r) + tail;
    if (name.includes('[')) {
      for (const h of expandHostRange(name, budget)) out.push(h);
    } else {
      if (--budget.left < 0) throw new RangeError_(`host range in '${line}' stands for more than ${MAX_RANGE_HOSTS} hosts`);
      out.push(name);
    }
  }
  return out;
}

/**
 * A host key as written in an inventory: returns the host names it stands for
 * and the port that applies to all of them.
 */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  const parsed = parseAddress(pattern, true);
  const name = parsed ? parsed.host : pattern;
  const port = parsed?.port;
  const hosts = name.includes('[') ? expandHostRange(name) : [name];
  return { hosts, port };
}
