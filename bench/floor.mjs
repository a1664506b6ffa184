#!/usr/bin/env node
// The floor of the benchmark: the work's commands as plain shell, one open
// ssh2 connection per host (Nagle off), one command per round trip, every host
// at once. No playbook, no templates, no modules: what any engine pays at least.
// Plain JavaScript, so no loader is measured with it.
// Usage: node bench/floor.mjs <hosts.json> <bench_root> <mixed|commands>
//   hosts.json: [{ name, host, port, user, key, hostKey }] (hostKey: base64 of the host's public key)
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const [hostsFile, root, work = 'mixed'] = process.argv.slice(2);
const hosts = JSON.parse(readFileSync(hostsFile, 'utf8'));
const keys = new Map();

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The shell commands of the 20 tasks for one host, in playbook order. */
function commands(name) {
  if (work === 'commands') return Array.from({ length: 20 }, (_, i) => `echo bench-${i + 1}`);
  const dir = `${root}/${name}`;
  const out = [];
  out.push(`mkdir -p ${q(dir)} && chmod 0755 ${q(dir)}`);
  for (let i = 2; i <= 5; i++) out.push(`mkdir -p ${q(`${dir}/dir-${i}`)} && chmod 0755 ${q(`${dir}/dir-${i}`)}`);
  for (let i = 1; i <= 5; i++) {
    const f = q(`${dir}/copy-${i}.txt`);
    out.push(`printf '%s\\n' ${q(`bench file ${i} of ${name}`)} > ${f} && chmod 0644 ${f}`);
  }
  const env = q(`${dir}/bench.env`);
  for (let i = 1; i <= 5; i++) {
    out.push(
      `grep -qx 'BENCH_KEY_${i}=value-${i}' ${env} 2>/dev/null || { touch ${env} && sed -i '/^BENCH_KEY_${i}=/d' ${env} && echo 'BENCH_KEY_${i}=value-${i}' >> ${env}; }`,
    );
  }
  for (let i = 1; i <= 5; i++) out.push(`echo bench-${i}`);
  return out;
}

function key(file) {
  if (!keys.has(file)) keys.set(file, readFileSync(file));
  return keys.get(file);
}

function connect(h) {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({
      host: h.host,
      port: h.port,
      username: h.user,
      privateKey: key(h.key),
      readyTimeout: 60_000,
      hostVerifier: (k) => !h.hostKey || k.toString('base64') === h.hostKey,
    });
    c.on('handshake', () => {}); // keep the default handlers
    const sock = c._sock;
    if (sock?.setNoDelay) sock.setNoDelay(true);
  });
}

function exec(c, cmd) {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d) => (out += d));
      ch.stderr.on('data', (d) => (out += d));
      ch.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd}: exit ${code}: ${out}`))));
    });
  });
}

let failed = 0;
await Promise.all(
  hosts.map(async (h) => {
    try {
      const c = await connect(h);
      for (const cmd of commands(h.name)) await exec(c, cmd);
      c.end();
    } catch (e) {
      failed++;
      process.stderr.write(`${h.name}: ${e.message}\n`);
    }
  }),
);
process.stdout.write(`floor: ${hosts.length - failed} hosts ok, ${failed} failed\n`);
process.exitCode = failed ? 2 : 0;
