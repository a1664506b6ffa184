import { defineModule, ModuleError, reads } from '../lib/module/kit.js';
import { runHttp } from '../lib/module/net/http.js';
import { isArmoredKey, keyIdentity } from '../lib/module/packages/openpgp-key.js';

interface Args {
  key: string;
  state: 'present' | 'absent';
  fingerprint?: string;
  validate_certs: boolean;
}

type Work = { import: string } | { erase: string };

/** The keys rpm has imported, by the short id rpm names them with (gpg-pubkey-<8 hex digits>). rpm -q would create a missing database: none means no keys. */
const importedKeys = reads.command(
  [
    'export LC_ALL=C',
    'command -v rpm >/dev/null 2>&1 || { echo "--no-rpm"; exit 0; }',
    `db="$(rpm --eval '%_dbpath' 2>/dev/null)"`,
    `if [ -d "$db" ] && [ -n "$(ls -A "$db" 2>/dev/null)" ]; then rpm -q gpg-pubkey --qf '%{VERSION}\\n' 2>/dev/null | grep -v ' ' || true; fi`,
  ].join('\n'),
  (r) => (r.stdout.includes('--no-rpm') ? undefined : new Set(r.stdout.split('\n').map((s) => s.trim().toLowerCase()).filter((s) => /^[0-9a-f]{8}$/.test(s)))),
);

const KEY_ID = /^(0x)?([0-9a-f]{8}|[0-9a-f]{16}|[0-9a-f]{40})$/i;
const isUrl = (key: string) => key.includes('://');

export default defineModule<Args, Work>({
  name: 'rpm_key',
  description:
    "Ansible's rpm_key: imports an OpenPGP public key into the rpm database (present), from a file on the host or a URL the host downloads, or erases one (absent, by file, URL or key id). Whether the key is there is read in one round trip (rpm -q gpg-pubkey and the key file); the key id and fingerprint are read from the key itself, so the host needs no gpg.",
  examples: [
    '- rpm_key: { key: /etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release, state: present }',
    '- rpm_key:\n    key: https://repo.example.com/RPM-GPG-KEY-example\n    fingerprint: 0A9B 1C2D 3E4F 5A6B 7C8D  9E0F 1A2B 3C4D 5E6F 7A8B',
    '- rpm_key: { key: 0x5E6F7A8B, state: absent }',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['key'],
    properties: {
      key: { type: 'string', minLength: 1, description: 'The key: a file on the host, an http(s)/ftp/file URL the host downloads, or (absent, or a key already imported) a key id (8, 16 or 40 hex digits, 0x optional).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present imports the key unless rpm has it; absent erases it (every copy).' },
      fingerprint: { type: 'string', minLength: 1, description: "The key's fingerprint (spaces allowed): present refuses a key whose fingerprint differs." },
      validate_certs: { type: 'boolean', default: true, description: "false: accept any server certificate when the key is a https URL." },
    },
  },
  reads: (args) => (isUrl(args.key) || KEY_ID.test(args.key) ? [importedKeys] : [importedKeys, reads.file(args.key)]),
  async plan(args, ctx) {
    const imported = await ctx.host.get(importedKeys);
    if (!imported) throw new ModuleError(`rpm is not on ${ctx.host.name}: rpm_key is for hosts with an rpm database (RHEL, CentOS, Fedora)`);
    let keyText: Buffer | undefined;
    let keyid: string;
    if (isUrl(args.key)) {
      const answer = await runHttp(ctx.host, ctx.vars, { op: 'uri', url: args.key, method: 'GET', headers: {}, validate_certs: args.validate_certs, use_proxy: true, timeout: 30, follow_redirects: 'safe', status_code: [200], max_content: 1024 * 1024, dest: null, body: null }, 'rpm_key');
      if (answer.status !== 200) throw new ModuleError(`failed to fetch key at ${args.key} , error was: ${String(answer.msg ?? answer.failed ?? `HTTP ${String(answer.status)}`)}`);
      keyText = Buffer.from(String(answer.content_b64 ?? ''), 'base64');
      if (!isArmoredKey(keyText.toString('latin1'))) throw new ModuleError(`Not a public key: ${args.key}`);
    } else if (!KEY_ID.test(args.key)) {
      const file = await ctx.host.read(args.key);
      if (!file.exists || !file.content) throw new ModuleError(`Not a valid key ${args.key}`);
      keyText = file.content;
    }
    if (keyText) {
      const id = keyIdentity(keyText);
      if (!id) throw new ModuleError(`${args.key} is not an OpenPGP public key (no version 4 public key packet in it)`);
      keyid = id.keyid;
      if (args.state === 'present' && args.fingerprint) {
        const want = args.fingerprint.replace(/\s/g, '').toUpperCase();
        if (want !== id.fingerprint) throw new ModuleError(`The specified fingerprint, '${want}', does not match the key fingerprint '${id.fingerprint}'`);
      }
    } else {
      keyid = args.key.replace(/^0x/i, '').toUpperCase();
    }
    const short = keyid.slice(-8).toLowerCase();
    const has = imported.has(short);
    if (args.state === 'absent') return has ? { changed: true, state: { erase: short } } : { changed: false };
    if (has) return { changed: false };
    if (!keyText) throw new ModuleError('When importing a key, a valid file must be given');
    return { changed: true, state: { import: keyText.toString('base64') } };
  },
  async apply(_args, ctx, plan) {
    const work = plan.state!;
    if ('erase' in work) {
      const r = await ctx.host.run(['rpm', '--erase', '--allmatches', `gpg-pubkey-${work.erase}`], { allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `rpm --erase gpg-pubkey-${work.erase} failed (rc ${r.rc})`);
    } else {
      // rpm --import reads a file: the key goes through a temp file on the host, removed whatever happens.
      const script = `t=$(mktemp) || exit 1; cat > "$t" && rpm --import "$t"; rc=$?; rm -f "$t"; exit $rc`;
      const r = await ctx.host.run(script, { stdin: Buffer.from(work.import, 'base64'), allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `rpm --import failed (rc ${r.rc})`);
    }
    return { changed: true };
  },
});
