import { defineModule, ModuleError, shellQuote } from '../lib/module/kit.js';

interface Args {
  host: string;
  port?: number;
  path?: string;
  state: 'started' | 'stopped' | 'present' | 'absent';
  timeout: number;
  delay: number;
  sleep: number;
  search_regex?: string;
  msg?: string;
}

/** The shell condition that holds when the wait is over. */
function condition(a: Args): string {
  if (a.port !== undefined) {
    const open = `timeout 1 bash -c ${shellQuote(`exec 3<>/dev/tcp/${a.host}/${a.port}`)} 2>/dev/null`;
    return a.state === 'stopped' || a.state === 'absent' ? `! ${open}` : open;
  }
  const p = shellQuote(a.path!);
  if (a.state === 'absent' || a.state === 'stopped') return `[ ! -e ${p} ]`;
  if (a.search_regex !== undefined) return `[ -f ${p} ] && grep -Eq -- ${shellQuote(a.search_regex)} ${p}`;
  return `[ -e ${p} ]`;
}

export default defineModule<Args>({
  name: 'wait_for',
  description: "Ansible's wait_for, run on the host: until a TCP port accepts connections (started) or refuses them (stopped), or a file exists (present, optionally containing search_regex) or is gone (absent), checking every `sleep` seconds up to `timeout`. Changes nothing; runs in check mode too.",
  examples: ['- wait_for:\n    port: 2379\n    host: "{{ etcd_ip }}"\n    timeout: 60', '- wait_for:\n    path: /var/lib/etcd/member\n    state: present'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { type: 'string', default: '127.0.0.1', description: 'The host to connect to for port (as seen from the managed host).' },
      port: { type: 'integer', minimum: 1, maximum: 65535, description: 'A TCP port to wait for.' },
      path: { type: 'string', minLength: 1, description: 'A file to wait for (or for its removal with state=absent).' },
      state: { enum: ['started', 'stopped', 'present', 'absent'], default: 'started', description: 'started/present: until the port answers or the file exists (and holds search_regex); stopped/absent: until it does not.' },
      timeout: { type: 'number', minimum: 0, default: 300, description: 'Seconds before the task fails.' },
      delay: { type: 'number', minimum: 0, default: 0, description: 'Seconds to wait before the first check.' },
      sleep: { type: 'number', minimum: 0.1, default: 1, description: 'Seconds between checks.' },
      search_regex: { type: 'string', description: 'With path: wait until the file holds a match of this regular expression.' },
      msg: { type: 'string', description: 'The failure message when the time is up.' },
    },
  },
  async plan(args, ctx) {
    if ((args.port === undefined) === (args.path === undefined)) throw new ModuleError('give exactly one of port, path');
    if (args.search_regex !== undefined && args.path === undefined) throw new ModuleError('search_regex is only supported with path here');
    const script = [
      `sleep ${args.delay}`,
      'start=$(date +%s.%N)',
      `end=$(awk -v s="$start" 'BEGIN { printf "%.3f", s + ${args.timeout} }')`,
      'while :; do',
      `  if ${condition(args)}; then awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "elapsed %.3f\\n", n - s }'; exit 0; fi`,
      `  awk -v e="$end" -v n="$(date +%s.%N)" 'BEGIN { exit !(n >= e) }' && exit 3`,
      `  sleep ${args.sleep}`,
      'done',
    ].join('\n');
    const r = await ctx.host.run(script, { allowFailure: true, timeoutMs: (args.timeout + args.delay + 30) * 1000 });
    if (r.rc === 3) {
      const what = args.port !== undefined ? `${args.host}:${args.port}` : args.path;
      throw new ModuleError(args.msg ?? `Timeout when waiting for ${what}${args.state === 'stopped' || args.state === 'absent' ? ` to be ${args.state === 'stopped' ? 'stopped' : 'absent'}` : ''}`, { result: { elapsed: args.timeout } });
    }
    if (r.rc !== 0) throw new ModuleError(`wait_for failed: ${(r.stderr || r.stdout).trim()}`);
    const elapsed = Number(/elapsed ([\d.]+)/.exec(r.stdout)?.[1] ?? 0);
    return { changed: false, result: { elapsed: Math.floor(elapsed), state: args.state, ...(args.port !== undefined ? { port: args.port } : { path: args.path }) } };
  },
});
