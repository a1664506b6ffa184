/**
 * The identity of an OpenPGP public key (what rpm_key needs, without gpg on
 * the host): the primary key's v4 fingerprint (SHA-1 of its packet, as RFC
 * 4880 12.2 defines it) and the key id (its last 8 bytes). rpm names an
 * imported key `gpg-pubkey-<last 8 hex digits of the key id>`.
 */
import { createHash } from 'node:crypto';

export interface KeyIdentity {
  /** 40 hex digits, upper case. */
  fingerprint: string;
  /** 16 hex digits, upper case. */
  keyid: string;
}

const BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const END = '-----END PGP PUBLIC KEY BLOCK-----';

/** Whether a text holds an armored public key block (Ansible's is_pubkey). */
export function isArmoredKey(text: string): boolean {
  const b = text.indexOf(BEGIN);
  return b >= 0 && text.indexOf(END, b) > b;
}

/** The packets' bytes: the armored block's base64 (headers and checksum left out), or the bytes as given. */
function packets(data: Buffer): Buffer {
  const text = data.toString('latin1');
  if (!isArmoredKey(text)) return data;
  const body = text.slice(text.indexOf(BEGIN) + BEGIN.length, text.indexOf(END)).replace(/\r/g, '').split('\n');
  // Armor headers ("Version: ...") end at the first empty line; the checksum line starts with '='.
  const blank = body.findIndex((l, i) => i > 0 && l.trim() === '');
  const lines = body.slice(blank >= 0 && body.slice(1, blank).some((l) => l.includes(':')) ? blank + 1 : 0);
  return Buffer.from(lines.filter((l) => l.trim() !== '' && !l.startsWith('=') && !l.includes(':')).join(''), 'base64');
}

/** The first packet's tag and body (RFC 4880 4.2: old and new formats). */
function firstPacket(buf: Buffer): { tag: number; body: Buffer } | undefined {
  if (buf.length < 2 || !(buf[0] & 0x80)) return undefined;
  const b = buf[0];
  let tag: number;
  let len: number;
  let at: number;
  if (b & 0x40) {
    tag = b & 0x3f;
    const l1 = buf[1];
    if (l1 < 192) [len, at] = [l1, 2];
    else if (l1 < 224) [len, at] = [((l1 - 192) << 8) + buf[2] + 192, 3];
    else if (l1 === 255) [len, at] = [buf.readUInt32BE(2), 6];
    else return undefined;
  } else {
    tag = (b >> 2) & 0x0f;
    const type = b & 3;
    if (type === 0) [len, at] = [buf[1], 2];
    else if (type === 1) [len, at] = [buf.readUInt16BE(1), 3];
    else if (type === 2) [len, at] = [buf.readUInt32BE(1), 5];
    else return undefined;
  }
  if (at + len > buf.length) return undefined;
  return { tag, body: buf.subarray(at, at + len) };
}

/** The key's identity, or undefined when the data is not a v4 OpenPGP public key. */
export function keyIdentity(data: Buffer): KeyIdentity | undefined {
  const p = firstPacket(packets(data));
  // Tag 6: a public key packet; version 4 (v3 keys are long obsolete, v5/v6 rpm does not import).
  if (!p || p.tag !== 6 || p.body[0] !== 4) return undefined;
  const head = Buffer.from([0x99, (p.body.length >> 8) & 0xff, p.body.length & 0xff]);
  const fingerprint = createHash('sha1').update(head).update(p.body).digest('hex').toUpperCase();
  return { fingerprint, keyid: fingerprint.slice(-16) };
}
