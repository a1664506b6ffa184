/** The user module's home directory creation and password check, as Ansible's user module does them. */
import { shellQuote } from '../kit.js';

/**
 * Shell that makes a missing home directory as Ansible's create_homedir does:
 * a copy of the skeleton (default /etc/skel) or an empty directory, mode from
 * login.defs (HOME_MODE, else 0777 less UMASK), owned by the user throughout.
 */
export function homeDirScript(home: string, uid: number, gid: number, skeleton = '/etc/skel'): string {
  const h = shellQuote(home);
  const k = shellQuote(skeleton);
  return [
    '{',
    `if [ -d ${k} ]; then mkdir -p -- "$(dirname -- ${h})" && cp -a -- ${k} ${h}; else mkdir -p -- ${h}; fi &&`,
    `m=$(awk '$1=="HOME_MODE"{print $2}' /etc/login.defs 2>/dev/null | tail -n 1) &&`,
    `if [ -z "$m" ]; then u=$(awk '$1=="UMASK"{print $2}' /etc/login.defs 2>/dev/null | tail -n 1); m=$(printf '%o' $(( 0777 & ~0\${u:-022} ))); fi &&`,
    `chmod "$m" -- ${h} && chown -R ${uid}:${gid} -- ${h}`,
    '; }',
  ].join(' ');
}

const HASH_CHARS = /[^a-zA-Z0-9./=]/;

/** Whether a password looks like clear text rather than a crypt hash (Ansible warns then). */
export function looksUnhashed(password: string): boolean {
  if (['*', '!', '*************'].includes(password)) return false;
  if (/[:*!]/.test(password) || !password.includes('$')) return true;
  const f = password.split('$');
  if (f.length < 3) return true;
  const last = f[f.length - 1];
  if (HASH_CHARS.test(last)) return true;
  const want: Record<string, number> = { '1': 22, '5': 43, '6': 86 };
  return want[f[1]] !== undefined && last.length !== want[f[1]];
}
