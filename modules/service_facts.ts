import { defineModule, reads } from '../lib/module/kit.js';

type Service = Record<string, string>;

/** States list-units marks a unit with (and a bullet before its name), as Ansible reads them. */
const BAD_STATES = ['not-found', 'masked', 'failed'];

/**
 * One command: systemd's units and unit files (when systemd is PID 1), the
 * ActiveState of unit files that list-units does not show, and the SysV
 * scripts `service --status-all` lists (as Ansible's service_facts does on a
 * host without chkconfig or OpenRC). The sbin folders are searched as
 * Ansible's get_bin_path searches them, for a login user whose PATH lacks them.
 */
const PROBE = String.raw`export LC_ALL=C LANG=C PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"
if grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null 2>&1; then
  u=$(systemctl list-units --no-pager --type service --all)
  f=$(systemctl list-unit-files --no-pager --type service --all)
  printf '%s\n' '--units' "$u" '--files' "$f" '--show'
  known=$(printf '%s\n' "$u" | awk '/\.service/ { n = $1; for (i = 1; i <= NF; i++) if ($i == "not-found" || $i == "masked" || $i == "failed") { n = $2; break } print n }')
  printf '%s\n' "$f" | awk '/\.service/ { print $1 }' | while read -r n; do
    printf '%s\n' "$known" | grep -qxF -- "$n" && continue
    if s=$(systemctl show "$n" --property=ActiveState 2>/dev/null) && [ -n "$s" ]; then echo "$n $(printf '%s' "$s" | sed 's/^ActiveState=//')"; else echo "$n unknown"; fi
  done
fi
if command -v service >/dev/null 2>&1 && ! command -v chkconfig >/dev/null 2>&1 && ! command -v rc-status >/dev/null 2>&1; then
  echo '--sysv'; service --status-all 2>/dev/null
fi`;

function parse(stdout: string): Record<string, Service> {
  const sysv: Record<string, Service> = {};
  const systemd: Record<string, Service> = {};
  let section = '';
  for (const line of stdout.split('\n')) {
    if (/^--(units|files|show|sysv)$/.test(line)) {
      section = line.slice(2);
      continue;
    }
    if (section === 'sysv') {
      const m = /^\s*\[ ([+-]) \]\s+(.+)$/.exec(line);
      if (m) sysv[m[2]] = { name: m[2], state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
      continue;
    }
    if (!line.includes('.service')) continue;
    let fields = line.trim().split(/\s+/);
    if (section === 'units') {
      const bad = BAD_STATES.find((b) => fields.includes(b));
      const status = bad ?? fields[2];
      if (bad) fields = fields.slice(1);
      systemd[fields[0]] = { name: fields[0], state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
    } else if (section === 'files') {
      const [name, status] = fields;
      const known = systemd[name];
      if (!known) systemd[name] = { name, state: 'unknown', status, source: 'systemd' };
      else if (!BAD_STATES.includes(known.status)) known.status = status;
    } else if (section === 'show') {
      const [name, state] = fields;
      if (systemd[name]) systemd[name].state = state;
    }
  }
  return { ...sysv, ...systemd };
}

export default defineModule<Record<string, never>>({
  name: 'service_facts',
  description:
    "Ansible's service_facts: every service as `ansible_facts.services`, name → {name, state (running, stopped, ...), status (enabled, disabled, static, masked, failed, not-found, ...), source (systemd, sysv)}. Reads systemd and SysV scripts in one command; changes nothing.",
  examples: ['- service_facts:\n- debug:\n    msg: "etcd is {{ ansible_facts.services[\'etcd.service\'].state }}"'],
  checkMode: 'always',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  reads: () => [reads.command(PROBE, (r) => parse(r.stdout))],
  async plan(_args, ctx) {
    const services = await ctx.host.get(reads.command(PROBE, (r) => parse(r.stdout)));
    if (!Object.keys(services).length) {
      return { changed: false, skipped: 'Failed to find any services. This can be due to privileges or some other configuration issue.' };
    }
    return { changed: false, result: { ansible_facts: { services } } };
  },
});
