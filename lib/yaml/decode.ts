/**
 * Source files are UTF-8, as Ansible reads them. A leading byte order mark
 * (editors on Windows write one) is dropped; bytes that are not UTF-8 are an
 * error naming where they are, rather than text silently turned into U+FFFD.
 */
import { TsplayError } from '../errors.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let j = 1; j <= need; j++) {
      const c = buf[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** The text of a source file; `what` names it in the error ("playbook", "inventory file"). */
export function decodeSource(buf: Uint8Array, file: string, what: string): string {
  let text: string;
  try {
    text = strict.decode(buf);
  } catch {
    const at = Math.max(0, firstInvalidByte(buf));
    const before = Buffer.from(buf.subarray(0, at)).toString('utf8');
    const lines = before.split('\n');
    const line = lines.length;
    const col = lines[lines.length - 1].length + 1;
    const byte = buf[at]?.toString(16).toUpperCase().padStart(2, '0') ?? '??';
    throw new TsplayError('parse', `the ${what} ${file} is not UTF-8 text: byte 0x${byte} cannot be read`, {
      pos: { file, line, col },
      hint: `save the file as UTF-8 (for a Latin-1 file: iconv -f latin1 -t utf-8 ${file})`,
    });
  }
  // TextDecoder already drops a leading BOM; a BOM left by a second encoding pass is dropped too.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
