/**
 * The system facts Ansible's min subset gives (platform, user, date_time,
 * env, service_mgr, dns, lsb, apparmor, fips, cmdline, python, ssh host
 * keys) and chroot/loadavg, from the gathering script's sections. Each
 * parser mirrors its collector in ansible-core 2.14's
 * module_utils/facts/system/.
 */
import { parseKeyValues } from './distribution.js';

type Facts = Record<string, unknown>;

/** `key=value` lines; the first `=` splits. */
export function fields(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function platformFacts(text: string | undefined, pythonVersion: string | undefined): Facts {
  const f = fields(text);
  const node = f.nodename ?? '';
  const names = (f.fqdn_names ?? '').split(' ').filter(Boolean);
  // socket.getfqdn(): the first of the address's names that has a dot, else its first name, else the node name.
  const fqdn = names.find((n) => n.includes('.')) ?? names[0] ?? node;
  const machine = f.machine ?? '';
  const bits = f.long_bit ?? '';
  const facts: Facts = {
    system: f.system,
    kernel: f.kernel,
    kernel_version: f.kernel_version,
    machine,
    python_version: pythonVersion,
    fqdn,
    hostname: node.split('.')[0],
    nodename: node,
    domain: fqdn.split('.').slice(1).join('.'),
    userspace_bits: bits,
    architecture: /^i.86$/.test(machine) ? 'i386' : machine,
    machine_id: f.machine_id || undefined,
  };
  if (pythonVersion === undefined) delete facts.python_version;
  if (machine === 'x86_64' || /^i.86$/.test(machine)) {
    if (bits === '64') facts.userspace_architecture = 'x86_64';
    else if (bits === '32') facts.userspace_architecture = 'i386';
  }
  if (facts.machine_id === undefined) delete facts.machine_id;
  return facts;
}

export function userFacts(text: string | undefined): Facts {
  const f = fields(text);
  const pw = (f.passwd ?? '').split(':');
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  return {
    user_id: f.user_id,
    user_uid: num(pw[2]) ?? num(f.effective_user_id),
    user_gid: num(pw[3]) ?? num(f.effective_group_id),
    user_gecos: pw[4] ?? '',
    user_dir: pw[5] ?? '',
    user_shell: pw[6] ?? '',
    real_user_id: num(f.real_user_id),
    effective_user_id: num(f.effective_user_id),
    real_group_id: num(f.real_group_id),
    // Ansible 2.14 reports os.getgid() here, the real group.
    effective_group_id: num(f.real_group_id),
  };
}

export function dateTimeFacts(text: string | undefined): Facts {
  const f = fields(text);
  const [year, month, weekday, weekdayNumber, weeknumber, day, hour, minute, second, tz, tzOffset] = (f.local ?? '').split('|');
  const micro = (f.nanos ?? '000000').padEnd(6, '0').slice(0, 6);
  const offsets = [f.jan, f.jul].map((s) => (s ?? '').split(' '));
  // time.tzname[1]: the daylight-saving name (the zone's larger offset), or the only name where there is none.
  const dst = offsets[0][0] === offsets[1][0] ? offsets[0][1] : Number(offsets[0][0]) > Number(offsets[1][0]) ? offsets[0][1] : offsets[1][1];
  const date_time = {
    year,
    month,
    weekday,
    weekday_number: weekdayNumber,
    weeknumber,
    day,
    hour,
    minute,
    second,
    epoch: f.epoch,
    epoch_int: f.epoch,
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    iso8601_micro: `${f.utc}.${micro}Z`,
    iso8601: `${f.utc}Z`,
    iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    tz,
    tz_dst: dst || tz,
    tz_offset: tzOffset,
  };
  return { date_time };
}

export function envFacts(text: string | undefined): Facts {
  const env: Record<string, string> = Object.create(null);
  const raw = Buffer.from((text ?? '').replace(/\s+/g, ''), 'base64').toString('utf8');
  for (const entry of raw.split('\0')) {
    const i = entry.indexOf('=');
    if (i > 0) env[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return { env: { ...env } };
}

const PROC_1_NAMES: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

export function serviceMgrFacts(text: string | undefined): Facts {
  const f = fields(text);
  let proc1: string | undefined = f.comm?.trim() || undefined;
  if (proc1 === 'COMMAND') proc1 = undefined;
  if (proc1 === undefined && f.init_link) proc1 = f.init_link.split('/').pop()?.trim();
  if (proc1 !== undefined && (proc1 === 'init' || proc1.endsWith('sh'))) proc1 = undefined;
  if (proc1) return { service_mgr: PROC_1_NAMES[proc1] ?? proc1 };
  let name = 'service';
  if (f.systemctl && f.systemd_booted) name = 'systemd';
  else if (f.upstart) name = 'upstart';
  else if (f.openrc) name = 'openrc';
  else if (f.systemctl && /systemd/.test(f.init_link ?? '')) name = 'systemd';
  else if (f.sysvinit) name = 'sysvinit';
  return { service_mgr: name };
}

export function dnsFacts(text: string | undefined): Facts {
  const dns: Record<string, unknown> = {};
  for (const line of (text ?? '').split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || !line.trim()) continue;
    const tokens = line.trim().split(/\s+/);
    const [key, ...rest] = tokens;
    if (key === 'nameserver') dns.nameservers = [...((dns.nameservers as string[]) ?? []), ...rest];
    else if (key === 'domain' && rest.length) dns.domain = rest[0];
    else if (key === 'search') dns.search = rest;
    else if (key === 'sortlist') dns.sortlist = rest;
    else if (key === 'options') {
      const options: Record<string, unknown> = {};
      for (const o of rest) {
        const [k, v] = o.split(/:(.*)/s);
        options[k] = v ? v : true;
      }
      dns.options = options;
    }
  }
  return { dns };
}

export function lsbFacts(lsbRelease: string | undefined, lsbFile: string | undefined): Facts {
  const lsb: Record<string, string> = {};
  const strip = (s: string) => s.trim().replace(/^['"\\]+|['"\\]+$/g, '');
  if (lsbRelease?.trim()) {
    for (const line of lsbRelease.split('\n')) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const key = { 'Distributor ID': 'id', Release: 'release', Description: 'description', Codename: 'codename' }[line.slice(0, i).trim()];
      if (key) lsb[key] = strip(line.slice(i + 1));
    }
  } else if (lsbFile?.trim()) {
    const kv = parseKeyValues(lsbFile);
    const map: Record<string, string> = { DISTRIB_ID: 'id', DISTRIB_RELEASE: 'release', DISTRIB_DESCRIPTION: 'description', DISTRIB_CODENAME: 'codename' };
    for (const [k, v] of Object.entries(kv)) if (map[k]) lsb[map[k]] = strip(v);
  }
  if (lsb.release) lsb.major_release = lsb.release.split('.')[0];
  return { lsb };
}

/** Python's shlex.split(posix=False): whitespace-separated words, quotes kept as written. */
function splitNonPosix(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let inWord = false;
  for (const c of text) {
    if (quote) {
      word += c;
      if (c === quote) quote = '';
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      if ((c === '"' || c === "'") && !inWord) quote = c;
      else if (c === '"' || c === "'") quote = c;
      word += c;
      inWord = true;
    }
  }
  if (quote) return []; // "No closing quotation": Ansible gives an empty dict.
  if (inWord) words.push(word);
  return words;
}

export function cmdlineFacts(text: string | undefined): Facts {
  const data = (text ?? '').trim();
  if (!data) return {};
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const piece of splitNonPosix(data)) {
    const i = piece.indexOf('=');
    if (i < 0) {
      cmdline[piece] = true;
      proc[piece] = true;
      continue;
    }
    const [k, v] = [piece.slice(0, i), piece.slice(i + 1)];
    cmdline[k] = v;
    const had = proc[k];
    proc[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : had === true ? v : [had, v];
  }
  return { cmdline, proc_cmdline: proc };
}

export function loadavgFacts(text: string | undefined): Facts {
  const [one, five, fifteen] = (text ?? '').trim().split(/\s+/).map(Number);
  if (![one, five, fifteen].every(Number.isFinite)) return {};
  return { loadavg: { '1m': one, '5m': five, '15m': fifteen } };
}

export function chrootFacts(text: string | undefined): Facts {
  const f = fields(text);
  if (f.env) return { is_chroot: true };
  const [dev, ino] = (f.root ?? '').split(' ');
  if (f.init_root) {
    const [pdev, pino] = f.init_root.split(' ');
    return { is_chroot: dev !== pdev || ino !== pino };
  }
  // /proc/1/root cannot be read (not root): the root directory's inode says it, as Ansible's fallback.
  return { is_chroot: ino !== '2' && ino !== '128' && ino !== '256' };
}

export function sshKeyFacts(text: string | undefined): Facts {
  const facts: Facts = {};
  for (const line of (text ?? '').split('\n')) {
    const m = /^ssh_host_(\w+)_key\.pub (\S+) (\S+)/.exec(line);
    if (!m) continue;
    facts[`ssh_host_key_${m[1]}_public`] = m[3];
    facts[`ssh_host_key_${m[1]}_public_keytype`] = m[2];
  }
  return facts;
}

export interface PythonProbe {
  executable: string;
  has_sslcontext: boolean;
  type: string;
  version: [number, number, number, string, number];
  python_version: string;
}

export function readPythonProbe(text: string | undefined): PythonProbe | undefined {
  const line = (text ?? '').split('\n').find((l) => l.startsWith('{'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as PythonProbe;
  } catch {
    return undefined;
  }
}

export function pythonFacts(p: PythonProbe | undefined): Facts {
  if (!p) return {};
  const [major, minor, micro, releaselevel, serial] = p.version;
  return {
    python: {
      executable: p.executable,
      has_sslcontext: p.has_sslcontext,
      type: p.type.toLowerCase(),
      version: { major, minor, micro, releaselevel, serial },
      version_info: p.version,
    },
  };
}
