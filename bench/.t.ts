import { SshConnection } from '../lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '../lib/connection/ssh/options.js';
import { readFileSync } from 'node:fs';
const [addr, port] = readFileSync('/tmp/tsplay-bench-targets-22045/hosts-1','utf8').match(/ansible_host=(\S+) ansible_port=(\d+)/)!.slice(1);
const s = sshSettingsFromVars('h', { ansible_host: addr, ansible_port: Number(port), ansible_user: 'tsplaytest', ansible_ssh_private_key_file: '/tmp/tsplay-bench-targets-22045/id_ed25519', ansible_ssh_common_args: '-o UserKnownHostsFile=/tmp/tsplay-bench-targets-22045/known_hosts' });
s.agent = undefined;
const c = new SshConnection('h', s);
await c.exec('true');
for (const cmd of ['true', 'echo hi', "mkdir -p /tmp/xx && chmod 0755 /tmp/xx"]) {
  const t: number[] = [];
  for (let i = 0; i < 15; i++) { const t0 = performance.now(); await c.exec(cmd); t.push(performance.now() - t0); }
  t.sort((a,b)=>a-b); console.log(cmd, 'median', t[7].toFixed(1), 'min', t[0].toFixed(1));
}
await c.close();
