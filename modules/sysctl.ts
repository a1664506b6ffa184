import { defineModule, fileDiff, reads, shellJoin, shellQuote } from '../lib/module/kit.js';
import { SBIN_PATH } from '../lib/module/system/accounts.js';
import { fixSysctl, parseSysctl, sameValue, sysctlStderrFailed } from '../lib/module/system/sysctl-file.js';

interface Args {
  name: string;
  value?: string | number | boolean;
  state: 'present' | 'absent';
  reload: boolean;
  sysctl_set: boolean;
  ignoreerrors: boolean;
  sysctl_file: string;
}

interface State {
  /** The file's new text, when it changes. */
  write?: string;
  /** Set the kernel's value with sysctl -w. */
  setProc: boolean;
  /** Run sysctl -p on the file. */
  reload: boolean;
}

const TRUE = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE = ['n', 'no', 'off', '0', 'false', 'f'];

/** Ansible's value normalisation: booleans (and their spellings) are 1 and 0, other text is trimmed. */
function normalise(v: Args['value']): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v);
  if (TRUE.includes(s.toLowerCase())) return '1';
  if (FALSE.includes(s.toLowerCase())) return '0';
  return s.trim();
}

const current = (name: string) => reads.command(`${SBIN_PATH}\nLANG=C LC_ALL=C sysctl -e -n ${shellQuote(name)}`, (r) => (r.rc === 0 ? r.stdout : undefined));

export default defineModule<Args, State>({
  name: 'sysctl',
  description:
    "ansible.posix's sysctl: makes sure a kernel parameter has a value in a sysctl file (default /etc/sysctl.conf) or is not there, reloads the file with `sysctl -p` when something changed or the kernel's value differs (`reload`), and with `sysctl_set` sets the running value with `sysctl -w`. The file is rewritten as Ansible does (`key=value` lines, duplicates dropped).",
  examples: ['- sysctl:\n    name: net.ipv4.ip_forward\n    value: "1"\n    sysctl_set: true', '- sysctl:\n    name: vm.swappiness\n    value: "10"\n    sysctl_file: /etc/sysctl.d/90-tuning.conf\n    reload: false'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'The parameter, e.g. net.ipv4.ip_forward.' },
      value: { type: ['string', 'number', 'boolean'], description: 'Its value (needed for state: present); yes/no and true/false mean 1 and 0.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the setting is in sysctl_file (and set now, with sysctl_set or reload); absent: its line is removed.' },
      reload: { type: 'boolean', default: true, description: 'Run sysctl -p on the file when something changed or the running value differs.' },
      sysctl_set: { type: 'boolean', default: false, description: 'Set the running value with sysctl -w when it differs.' },
      ignoreerrors: { type: 'boolean', default: false, description: 'Ignore unknown keys (sysctl -e).' },
      sysctl_file: { type: 'string', minLength: 1, default: '/etc/sysctl.conf', description: 'The file the setting is kept in across reboots.' },
    },
  },
  reads: (args) => [reads.file(args.sysctl_file), current(args.name.trim())],
  async plan(args, ctx) {
    const name = args.name.trim();
    if (name === '') return { changed: false, failed: 'name cannot be blank' };
    if (args.state === 'present' && args.value === undefined) return { changed: false, failed: 'state is present but all of the following are missing: value' };
    const value = normalise(args.value);
    if (args.state === 'present' && value === '') return { changed: false, failed: 'value cannot be blank' };
    const [file, proc] = await ctx.host.getAll([reads.file(args.sysctl_file), current(name)] as const);
    const before = file.exists ? (file.text ?? '') : '';
    const parsed = parseSysctl(before);
    const inFile = parsed.values.get(name);
    let changed = false;
    let write = false;
    let setProc = false;
    if (inFile === undefined) {
      if (args.state === 'present') changed = write = true;
    } else if (inFile && args.state === 'absent') changed = write = true;
    else if (inFile !== value) changed = write = true;
    else if (args.reload && !sameValue(proc, value)) changed = true;
    if (args.sysctl_set && args.state === 'present' && !sameValue(proc, value)) {
      changed = true;
      if (proc !== undefined) setProc = true;
    }
    const after = write ? fixSysctl(parsed, name, args.state === 'present' ? value : undefined) : before;
    return {
      changed,
      diff: write ? [fileDiff(args.sysctl_file, before, after)] : [],
      state: { write: write ? after : undefined, setProc, reload: changed && args.reload },
    };
  },
  async apply(args, ctx, plan) {
    const st = plan.state!;
    const name = args.name.trim();
    const value = normalise(args.value);
    const e = args.ignoreerrors ? ['-e'] : [];
    if (st.setProc) {
      const r = await ctx.host.run(`${SBIN_PATH}\nLANG=C LC_ALL=C ${shellJoin(['sysctl', ...e, '-w', `${name}=${value}`])}`, { allowFailure: true });
      if (r.rc !== 0 || sysctlStderrFailed(r.stderr)) return { changed: false, failed: `setting ${name} failed: ${r.stdout}${r.stderr}` };
    }
    if (st.write !== undefined) await ctx.host.write(args.sysctl_file, st.write);
    if (st.reload) {
      const r = await ctx.host.run(`${SBIN_PATH}\nLANG=C LC_ALL=C ${shellJoin(['sysctl', ...e, '-p', args.sysctl_file])}`, { allowFailure: true });
      if (r.rc !== 0 || sysctlStderrFailed(r.stderr)) return { changed: true, failed: `Failed to reload sysctl: ${r.stdout}${r.stderr}` };
    }
    return { changed: true };
  },
});
