/**
 * The users, access and system modules cost one round trip on a host when
 * there is nothing to change: everything plan() needs is read in one
 * command. Counted as commands sent over the (local) connection, for tasks
 * that change nothing on this machine.
 */
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from '../../lib/connection/factory.js';
import type { Connection, ExecOptions } from '../../lib/connection/types.js';
import { runPlaybook } from '../../lib/engine/run.js';
import type { RunEvent } from '../../lib/output/events.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-system-rt-'));
const user = userInfo().username;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAUzVqElhjagEDV+0hiyyJWGAd+nyDE8dfqptyBc6VPP';
writeFileSync(join(dir, 'cron'), '#Ansible: backup\n0 1 * * * root /bin/true\n');
writeFileSync(join(dir, 'sysctl.conf'), 'vm.swappiness=10\n');
writeFileSync(join(dir, 'authorized_keys'), `${KEY} alice\n`);
writeFileSync(join(dir, 'known_hosts'), `git.example.com ${KEY}\n`);

const unchanged: Array<[string, Record<string, unknown>]> = [
  ['user', { name: 'root', uid: 0, create_home: false }],
  ['group', { name: 'root', gid: 0 }],
  ['getent', { database: 'passwd', key: 'root' }],
  ['cron', { name: 'backup', minute: '0', hour: '1', job: '/bin/true', user: 'root', cron_file: join(dir, 'cron') }],
  ['sysctl', { name: 'vm.swappiness', value: '10', sysctl_file: join(dir, 'sysctl.conf'), reload: false }],
  ['authorized_key', { user, key: `${KEY} alice`, path: join(dir, 'authorized_keys') }],
  ['known_hosts', { name: 'git.example.com', key: `git.example.com ${KEY}`, path: join(dir, 'known_hosts') }],
];

for (const [module, args] of unchanged) {
  t.test(`${module} with nothing to change: one round trip`, async (t) => {
    const events: RunEvent[] = [];
    const commands: string[] = [];
    const r = await runPlaybook({
      inventory: { all: { hosts: { h1: { ansible_connection: 'local' } } } },
      playbook: { plays: [{ hosts: 'all', gather_facts: false, tasks: [{ [module]: args }] }] },
      reporters: [(e) => events.push(e)],
      connectionFactory: (h, v, o) => {
        const c = createConnection(h, v, o);
        const exec = c.exec.bind(c);
        (c as Connection).exec = (cmd: string, opts?: ExecOptions) => {
          commands.push(cmd);
          return exec(cmd, opts);
        };
        return c;
      },
    });
    const result = events.find((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
    t.equal(r.exitCode, 0, 'the run succeeds', { result });
    t.equal(result?.status, 'ok', 'nothing changed');
    t.equal(commands.length, 1, 'one command on the host', { commands });
  });
}
