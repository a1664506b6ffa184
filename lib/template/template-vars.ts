/**
 * The variables Ansible adds when it renders a template file (the template
 * module and the template lookup): generate_ansible_template_vars of
 * ansible-core 2.14. They describe the controller's side: template_host is
 * the controller's host name, template_uid the file's owner there.
 * Dates are text, as `str(datetime)` prints them (`2026-12-07 14:05:00.123456`):
 * tsplay has no datetime values, so `template_mtime.year` is not available.
 */
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { pyDatetimeStr } from './filters-more.js';

/** Names already looked up: a template task renders once per host, and the controller's users do not change during a run. */
const userNames = new Map<number, string>();

/** The user name of a uid, from the controller's /etc/passwd; the number as text when it has none (as Ansible's KeyError fallback). */
function userName(uid: number): string {
  let name = userNames.get(uid);
  if (name === undefined) userNames.set(uid, (name = readUserName(uid)));
  return name;
}

function readUserName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid && f[2] !== '') return f[0];
    }
  } catch {
    // no passwd file: the number, below
  }
  return String(uid);
}

/**
 * `src` as the task gave it, `fullpath` the file found for it, `dest` the
 * module's destination (none for the lookup).
 */
export function templateFileVars(src: string, fullpath: string, dest?: string): Record<string, unknown> {
  const st = statSync(fullpath);
  return {
    template_host: hostname(),
    template_path: src,
    template_fullpath: fullpath,
    template_mtime: pyDatetimeStr(st.mtimeMs, false),
    template_uid: userName(st.uid),
    template_run_date: pyDatetimeStr(Date.now(), false),
    template_destpath: dest ?? null,
  };
}
