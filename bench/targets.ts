/**
 * Starts the benchmark's sshd targets and keeps them until interrupted, for
 * profiling by hand: prints the inventory (group [bench]) and the floor's host list.
 *   npm run bench:targets -- 100
 *   node --cpu-prof dist/bin/tsplay.js run bench/work/tsplay.yml -i /tmp/.../hosts-100 -e bench_root=/tmp/x --forks 100
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sshdTargets, writeFloorHosts, writeInventory } from './lib/targets.js';

const n = Number(process.argv[2] ?? 10);
const dir = join(os.tmpdir(), `tsplay-bench-targets-${process.pid}`);
mkdirSync(dir, { recursive: true, mode: 0o755 });
const t = await sshdTargets(n, dir, (s) => process.stderr.write(`${s}\n`));
writeInventory(t, n, join(dir, 'hosts'));
writeFloorHosts(t, n, join(dir, 'floor.json'));
process.stdout.write(`inventory: ${join(dir, 'hosts')}\nfloor hosts: ${join(dir, 'floor.json')}\nbench_root base: ${t.rootBase}\n`);
const stop = () => void t.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
