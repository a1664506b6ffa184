/**
 * Cases only a real machine can answer, for the lab host: systemd starting,
 * enabling, stopping and disabling a real unit, and haproxy_backend with
 * haproxy's own validation (`haproxy -c -f`, the module's default) and a real
 * reload of a running haproxy. Each unit is the test's own (named with the
 * test's pid, on a port of its own), so the lab's services are not touched.
 */
import type { ModuleCase } from '../../lib/testing/index.js';

const tag = `tsplay-table-${process.pid}`;
export const SLEEPER = `${tag}-sleep.service`;
export const HAPROXY = `${tag}-haproxy.service`;
/** A port on master-0's address (the lab shares this machine's network) no lab service uses. */
const PORT = 20000 + (process.pid % 20000);

/** Shell that writes a unit file under /etc/systemd/system and reloads systemd. */
function unit(name: string, body: string): string {
  return `printf '%s\\n' ${body.split('\n').map((l) => `'${l}'`).join(' ')} > /etc/systemd/system/${name} && systemctl daemon-reload`;
}

const sleeper = unit(SLEEPER, '[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target');

export const systemdCases: ModuleCase[] = [
  {
    name: 'a real unit is started and enabled, then left alone',
    become: true,
    setup: `${sleeper} && systemctl disable --now ${SLEEPER}`,
    args: { name: SLEEPER, state: 'started', enabled: true },
    plan: { changed: true },
    result: { name: SLEEPER, state: 'started', enabled: true },
  },
  {
    name: 'a real running unit is stopped and disabled, then left alone',
    become: true,
    setup: `${sleeper} && systemctl enable --now ${SLEEPER}`,
    args: { name: SLEEPER, state: 'stopped', enabled: false },
    plan: { changed: true },
    result: { name: SLEEPER, state: 'stopped', enabled: false },
  },
];

const cfg = [
  'global',
  '    maxconn 10',
  'defaults',
  '    mode tcp',
  '    timeout connect 5s',
  '    timeout client 30s',
  '    timeout server 30s',
  'frontend api_in',
  `    bind 127.0.10.1:${PORT}`,
  '    default_backend api',
  'backend api',
  '    server m0 127.0.10.1:8443',
  '',
].join('\n');

/** A haproxy of the test's own, reading the case's haproxy.cfg, reloaded by SIGUSR2 in master-worker mode. */
const runningHaproxy = `${unit(HAPROXY, `[Service]\nType=notify\nExecStart=/usr/sbin/haproxy -Ws -f __DIR__/haproxy.cfg\nExecReload=/bin/kill -USR2 $MAINPID`)}`.replace('__DIR__', "'\"$PWD\"'") + ` && systemctl restart ${HAPROXY}`;

export const haproxyCases: ModuleCase[] = [
  {
    name: 'a server added, checked by haproxy -c, and the running haproxy reloaded',
    become: true,
    files: { 'haproxy.cfg': cfg },
    setup: runningHaproxy,
    args: { path: '{{ test_dir }}/haproxy.cfg', backend: 'api', server: 'm2', address: '127.0.10.3:8443', reload: 'reload', service: HAPROXY },
    plan: { changed: true },
    expect: { 'haproxy.cfg': `${cfg}    server m2 127.0.10.3:8443\n` },
    result: { reloaded: HAPROXY },
  },
  {
    name: 'haproxy -c refuses a server whose address does not resolve: the old file stays',
    become: true,
    files: { 'haproxy.cfg': cfg },
    setup: runningHaproxy,
    args: { path: '{{ test_dir }}/haproxy.cfg', backend: 'api', server: 'm2', address: 'no-such-host.invalid', reload: 'reload', service: HAPROXY },
    plan: { changed: true },
    applied: { changed: false, failed: /validation of the new .* failed/ },
    expect: { 'haproxy.cfg': cfg },
    idempotent: false,
  },
];
