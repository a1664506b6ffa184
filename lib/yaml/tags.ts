/**
 * The YAML tags Ansible adds, and its refusal of any other: `!unsafe` text
 * is data, never a template; `!vault` text is decrypted with the run's vault
 * passwords; a whole file encrypted with ansible-vault is decrypted before
 * it is parsed; `!!binary` is its bytes read as text; an unknown tag such
 * as `!custom` is a parse error, as in Ansible ("could not determine a
 * constructor for the tag"). Used by every YAML reader (lib/inventory/yaml-load.ts).
 */
import { parseDocument, visit, type Document, type LineCounter, type ScalarTag } from 'yaml';
import { registerSecret } from '../util/secrets.js';
import { TsplayError } from '../errors.js';
import { markTaggedUnsafe } from '../template/unsafe.js';
import { isVaultText } from '../vault/format.js';
import { LockedVault } from '../vault/locked.js';
import { decryptVault, VaultDecryptError } from '../vault/secrets.js';

const unsafeTag: ScalarTag = {
  tag: '!unsafe',
  resolve: (s: string) => markTaggedUnsafe(s),
};

/** Decrypted when read; a value no password opens fails only where it is used, as in Ansible. */
const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve: (s: string) => {
    try {
      return decryptVault(s);
    } catch (e) {
      if (e instanceof VaultDecryptError) return new LockedVault(e.message, s);
      throw e;
    }
  },
};

/** PyYAML gives bytes; Ansible prints them as their text. */
const binaryTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  resolve: (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'base64').toString('utf8'),
};

/** Put before the yaml package's own tags: the first tag of a name wins. */
export const ansibleTags: ScalarTag[] = [unsafeTag, vaultTag, binaryTag];

/** A file that ansible-vault encrypted whole: its plain text, or Ansible's error (exit 1). */
export function openVaultFile(text: string, file: string): string {
  if (!isVaultText(text)) return text;
  try {
    const plain = decryptVault(text);
    learnFileSecrets(plain);
    return plain;
  } catch (e) {
    if (!(e instanceof VaultDecryptError)) throw e;
    const onFile = e.message.startsWith('Decryption failed') ? `${e.message} on ${file}` : e.message;
    throw new TsplayError('missing-file', onFile, {
      pos: { file, line: 1, col: 1 },
      hint: 'give the vault password with --vault-password-file FILE, --ask-vault-pass or --vault-id',
    });
  }
}

/**
 * Every text value of a file kept in vault is a secret to mask. Values
 * shorter than 4 characters are left out: masking every `yes` or `80` in the
 * output would hide more than it protects. The nodes are visited, not
 * converted, so aliases are never expanded here.
 */
function learnFileSecrets(plain: string): void {
  visit(parseDocument(plain, { version: '1.1' }), {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.length >= 4) registerSecret(node.value);
    },
  });
}

/** Ansible refuses a tag it has no constructor for; the yaml package only warns. */
export function rejectUnknownTags(doc: Document.Parsed, lineCounter: LineCounter, file: string): void {
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? 'tag';
    // `!unsafe` on a list or mapping: Ansible accepts it; its strings are what matter and stay as written.
    if (tag === '!unsafe') continue;
    const { line, col } = lineCounter.linePos(w.pos[0]);
    throw new TsplayError('parse', `could not determine a constructor for the tag '${tag}'`, {
      pos: { file, line, col },
      hint: "remove the tag: Ansible's YAML knows only !unsafe, !vault and the standard !! tags",
    });
  }
}
