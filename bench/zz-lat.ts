import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '/work/main/lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '/work/main/lib/connection/ssh/options.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, TEST_USER } from '/work/main/tests/helpers/sshd.js';
ensureTestUsers();
const dir = tempDir('lat');
const key = makeKey(dir, 'id');
const s = await startSshd({ address: '127.0.20.98', authorized: { [TEST_USER]: [key.line], root: [key.line] } });
writeFileSync(join(dir, 'kh'), s.knownHostsLines().join('\n') + '\n');
for (const user of [TEST_USER, 'root']) {
  const st = sshSettingsFromVars('x', { ansible_host: s.address, ansible_port: s.port, ansible_user: user, ansible_ssh_private_key_file: key.private, ansible_ssh_common_args: `-o UserKnownHostsFile=${join(dir, 'kh')}` });
  const c = new SshConnection('x', st);
  await c.exec('true');
  for (const cmd of ['true', 'exec true']) {
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) await c.exec(cmd);
    console.log(user, cmd, ((performance.now() - t0) / 100).toFixed(2), 'ms');
  }
  await c.close();
}
await s.stop();
