/**
 * Line injection into the files tsplay edits: whatever name or value an
 * editor is given (host output included), reading the file back with the
 * rules of the program that consumes it gives exactly the structure intended
 * (the same sections, the same keys, the value as given), or the editor
 * refuses with an error naming the value. Each editor is checked against a
 * model of its reader over generated values, and against the real reader
 * (ansible-inventory, the shell, PyYAML) where one is installed.
 */
import t from 'tap';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addHost, removeHost } from '../../lib/formats/ini-inventory.js';
import { getEnv, parseEnv, setEnv } from '../../lib/formats/env-file.js';
import { listSections, listServers, setServer } from '../../lib/formats/haproxy.js';
import { execStartDropIn, parseUnit, renderUnit } from '../../lib/formats/systemd-unit.js';
import { getYaml, setYaml } from '../../lib/formats/yaml-edit.js';
import { hermeticAnsibleEnv } from '../helpers/ansible-env.js';

/** Every character some reader ends a line at, the syntax of each format, and plain letters. */
const nasty = ['\n', '\r', '\r\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029', '\0', '\t', ' ', '#', ';', '[', ']', '=', ':', '"', "'", '\\', '$', '`', '|', '&', '>', '(', '-', '{', 'a', 'b', 'x', '1', 'é'];
const str = fc.array(fc.constantFrom(...nasty), { minLength: 0, maxLength: 12 }).map((a) => a.join(''));
const word = fc.array(fc.constantFrom(...nasty), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
const RUNS = { numRuns: 2000 };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'tsplay-injection-'));

/** An editor either refuses (a one-line message naming the problem) or returns text; anything else is a failure. */
function edit(f: () => string): string | undefined {
  try {
    return f();
  } catch (e) {
    const msg = (e as Error).message;
    if (/[\n\r\u2028\u2029\x85]/.test(msg)) throw new Error(`the error message itself breaks lines: ${JSON.stringify(msg)}`);
    return undefined;
  }
}

// ---- Ansible's INI inventory reader, as lib/ansible/plugins/inventory/ini.py reads a file ----

/** Python's shlex.split(line, comments=True) in posix mode. */
function shlexSplit(line: string): string[] {
  const out: string[] = [];
  let tok: string | null = null;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (' \t\r\n'.includes(c)) {
      if (tok !== null) out.push(tok);
      tok = null;
      i++;
    } else if (c === '#') break;
    else if (c === '\\') {
      tok = (tok ?? '') + (line[i + 1] ?? '');
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      tok = (tok ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let v = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) v += line[++j];
        else v += line[j];
      }
      if (j >= line.length) throw new Error('No closing quotation');
      tok = (tok ?? '') + v;
      i = j + 1;
    } else {
      tok = (tok ?? '') + c;
      i++;
    }
  }
  if (tok !== null) out.push(tok);
  return out;
}

interface Inventory {
  sections: string[];
  hosts: Map<string, Map<string, Record<string, string>>>;
}

function readInventory(text: string): Inventory {
  const inv: Inventory = { sections: [], hosts: new Map() };
  let section = 'ungrouped';
  for (const raw of text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)) {
    const line = raw.trim();
    const h = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/.exec(line);
    if (h) {
      section = h[2] ? `${h[1]}:${h[2]}` : h[1]!;
      inv.sections.push(section);
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';') || section.includes(':')) continue;
    const [host, ...kv] = shlexSplit(line);
    if (!host) continue;
    const vars: Record<string, string> = {};
    for (const w of kv) vars[w.slice(0, w.indexOf('='))] = w.slice(w.indexOf('=') + 1);
    if (!inv.hosts.has(section)) inv.hosts.set(section, new Map());
    inv.hosts.get(section)!.set(host, vars);
  }
  return inv;
}

const baseInventory = '# hosts\n[OSEv3:children]\nmasters\netcd\n\n[masters]\nm0\nm1  # second\n\n[etcd]\nm0 etcd_ip=10.0.0.1\n\n[OSEv3:vars]\nansible_ssh_user=root\n';

t.test('INI inventory: any host, group and value adds exactly that host, or is refused', async (t) => {
  const before = readInventory(baseInventory);
  fc.assert(
    fc.property(fc.constantFrom('etcd', 'masters', 'new'), word, fc.constantFrom('m0', 'm9'), str, (g, group, host, value) => {
      const grp = g === 'new' ? group : g;
      const out = edit(() => addHost(baseInventory, grp, host, { v: value }));
      if (out === undefined) return true;
      const inv = readInventory(out);
      const sections = inv.sections.includes(grp) && !before.sections.includes(grp) ? [...before.sections, grp] : before.sections;
      const othersSame = [...before.hosts].every(([sec, hosts]) => sec === grp || JSON.stringify([...inv.hosts.get(sec)!]) === JSON.stringify([...hosts]));
      return JSON.stringify(inv.sections) === JSON.stringify(sections) && inv.hosts.get(grp)?.get(host)?.v === value && othersSame;
    }),
    RUNS,
  );
  fc.assert(
    fc.property(word, (host) => {
      const out = edit(() => addHost(baseInventory, 'etcd', host));
      return out === undefined || (readInventory(out).hosts.get('etcd')?.has(host) === true && readInventory(out).sections.length === before.sections.length);
    }),
    RUNS,
  );
});

t.test('INI inventory: the refusals name the value and the reader', async (t) => {
  t.throws(() => addHost(baseInventory, 'etcd', 'm3\u2028[all:vars]\u2028ansible_ssh_common_args=-oProxyCommand=x'), /the host name "m3\\u2028\[all:vars\].*" holds a line break \(U\+2028\) for Ansible's INI inventory reader/);
  t.throws(() => addHost(baseInventory, 'etcd', 'm3', { etcd_ip: '10.0.0.9\x85[all:vars]' }), /the value of etcd_ip "10\.0\.0\.9\\u0085\[all:vars\]" holds a line break \(U\+0085\)/);
  t.throws(() => addHost(baseInventory, 'etcd', 'm3', { etcd_ip: 'a\x1cb' }), /U\+001C/);
  t.throws(() => addHost(baseInventory, 'etcd x', 'm3'), /the group name "etcd x" cannot be an INI section header/);
  t.throws(() => addHost(baseInventory, 'etcd', 'm3 ansible_host=evil'), /not one word/);
  t.throws(() => removeHost(baseInventory, 'etcd', 'm0\n[all:vars]'), /line break \(U\+000A\)/);
  // A line break Ansible honours already in the file, in a line the edit would remove, is not silently split.
  const planted = '[etcd]\nm0 # comment\u2028[all:vars]\nm1\n';
  t.throws(() => removeHost(planted, 'etcd', 'm0'), /would change the inventory's structure as Ansible reads it/);
});

t.test('INI inventory: ansible-inventory reads back what the editor wrote', async (t) => {
  const samples = fc.sample(fc.tuple(fc.constantFrom('m0', 'm1', 'm7'), str), { numRuns: 300, seed: 42 });
  let text = baseInventory;
  const want = new Map<string, string>();
  for (const [i, [host, value]] of samples.entries()) {
    const next = edit(() => addHost(text, 'etcd', host, { [`v${i}`]: value }));
    if (next === undefined) continue;
    text = next;
    // ast.literal_eval turns some values into numbers, lists or quoted strings' contents: only plain text is compared.
    // (literal_eval strips leading spaces and tabs first.)
    const lead = value.replace(/^[ \t]+/, '');
    if (lead !== '' && !/^['"\[{(0-9+\-.]/.test(lead) && !/^(True|False|None)$/.test(lead)) want.set(`${host} v${i}`, value);
  }
  t.ok(want.size > 10, `${want.size} values to compare`);
  const file = path.join(scratch, 'hosts');
  writeFileSync(file, text);
  const { env } = hermeticAnsibleEnv();
  const out = JSON.parse(execFileSync('ansible-inventory', ['-i', file, '--list'], { encoding: 'utf8', env: { ...env, ANSIBLE_INVENTORY_ENABLED: 'ini', ANSIBLE_INVENTORY_UNPARSED_FAILED: '1' } }));
  t.same(Object.keys(out).filter((k) => !['_meta', 'all', 'ungrouped', 'masters', 'etcd', 'OSEv3'].includes(k)), [], 'no group appeared');
  t.notOk(out.all?.vars, 'no [all:vars] appeared');
  for (const [k, v] of want) {
    const [host, key] = k.split(' ') as [string, string];
    t.equal(out._meta.hostvars[host]?.[key], v, `${host} ${key} = ${JSON.stringify(v)}`);
  }
  t.same(Object.keys(out._meta.hostvars).sort(), [...new Set(['m0', 'm1', ...samples.map(([h]) => h)])].sort(), 'exactly the hosts written');
});

// ---- KEY=VALUE files: systemd's EnvironmentFile= and the shell ----

const baseEnv = '# etcd\nETCD_NAME=m0\nETCD_DATA_DIR="/var/lib/etcd"\nOTHER=\'x\'\n';

t.test('env files: any value reads back as itself with the same keys, or is refused', async (t) => {
  const keys = parseEnv(baseEnv).map((e) => e.key);
  fc.assert(
    fc.property(fc.constantFrom('ETCD_NAME', 'ETCD_DATA_DIR', 'OTHER', 'NEW_KEY'), str, (key, value) => {
      const out = edit(() => setEnv(baseEnv, key, value));
      if (out === undefined) return /[\n\r\0]/.test(value);
      const after = parseEnv(out).map((e) => e.key);
      return getEnv(out, key) === value && JSON.stringify([...new Set(after)].sort()) === JSON.stringify([...new Set([...keys, key])].sort());
    }),
    RUNS,
  );
  t.throws(() => setEnv(baseEnv, 'ETCD_NAME', 'm0\nETCD_FORCE_NEW_CLUSTER=true'), /the value of ETCD_NAME "m0\\nETCD_FORCE_NEW_CLUSTER=true" holds a line break \(U\+000A\) for systemd/);
  t.throws(() => setEnv(baseEnv, 'A\nB', 'x'), /the key "A\\nB" is not a variable name/);
});

t.test('env files: the shell sourcing the file gets every value exactly, and runs nothing', async (t) => {
  const samples = fc.sample(str, { numRuns: 80, seed: 7 });
  let tried = 0;
  for (const [i, value] of samples.entries()) {
    const out = edit(() => setEnv(baseEnv, 'ETCD_NAME', value + `$(touch pwned${i})`));
    if (out === undefined) continue;
    tried++;
    const file = path.join(scratch, `env${i}`);
    writeFileSync(file, out);
    const got = execFileSync('/bin/sh', ['-c', `. "$1" && printf '%s' "$ETCD_NAME"`, 'sh', file], { cwd: scratch, encoding: 'utf8' });
    t.equal(got, getEnv(out, 'ETCD_NAME'), `value ${i}`);
    t.notOk(existsSync(path.join(scratch, `pwned${i}`)), 'nothing ran');
  }
  t.ok(tried > 30, `${tried} values sourced`);
});

// ---- haproxy.cfg ----

const baseCfg = 'global\n    daemon\n\nbackend atomic-openshift-api\n    balance source\n    server master0 10.0.0.1:8443 check\n\nfrontend x\n    default_backend atomic-openshift-api\n';

t.test('haproxy.cfg: any server name, address and options give that one server line, or are refused', async (t) => {
  const shape = listSections(baseCfg).map((s) => `${s.kind} ${s.name}`);
  fc.assert(
    fc.property(fc.constantFrom('master0', 'master9'), word, str, (name, address, options) => {
      const out = edit(() => setServer(baseCfg, { backend: 'atomic-openshift-api', name, address, options }));
      if (out === undefined) return true;
      const servers = listServers(out, 'atomic-openshift-api').filter((s) => s.name === name);
      return JSON.stringify(listSections(out).map((s) => `${s.kind} ${s.name}`)) === JSON.stringify(shape) && servers.length === 1 && servers[0]!.address === address && out.split('\n').length - baseCfg.split('\n').length <= 1;
    }),
    RUNS,
  );
  t.throws(() => setServer(baseCfg, { backend: 'atomic-openshift-api', name: 'm9', address: '10.0.0.9:8443\nbackend evil' }), /the address "10\.0\.0\.9:8443\\nbackend evil" holds a line break/);
  t.throws(() => setServer(baseCfg, { backend: 'atomic-openshift-api', name: 'm9 10.6.6.6:1', address: '10.0.0.9:8443' }), /not one plain word/);
});

// ---- systemd units and drop-ins ----

t.test('unit files: any section, key and value give exactly those settings, or are refused', async (t) => {
  fc.assert(
    fc.property(word, word, str, (section, key, value) => {
      const out = edit(() => renderUnit({ [section]: { [key]: value } }));
      if (out === undefined) return true;
      return JSON.stringify(parseUnit(out)) === JSON.stringify([{ section, key, value: value.trim() }]);
    }),
    RUNS,
  );
  const unit = { path: 'etcd.service', text: '[Service]\nExecStart=/bin/bash -c "GOMAXPROCS=$(nproc) /usr/bin/etcd"\n' };
  fc.assert(
    fc.property(str, (flag) => {
      const out = edit(() => execStartDropIn(unit, [], flag));
      if (out === undefined) return true;
      const s = parseUnit(out);
      return s.length === 2 && s.every((x) => x.section === 'Service' && x.key === 'ExecStart') && s[0]!.value === '';
    }),
    RUNS,
  );
  t.throws(() => execStartDropIn(unit, [], '--force-new-cluster\nExecStartPre=/bin/evil'), /the value of ExecStart= .* holds a line break \(U\+000A\) for systemd's unit file parser/);
  t.throws(() => execStartDropIn(unit, [], '--x \\'), /ends with a backslash/);
  t.throws(() => renderUnit({ Service: { 'Exec Start': 'x' } }), /not a unit file setting name/);
});

// ---- YAML (master-config.yaml, static pod manifests) ----

const baseYaml = 'kind: MasterConfig\netcdClientInfo:\n  urls:\n  - https://m0:2379\nservingInfo:\n  bindAddress: 0.0.0.0:8443\n';

t.test('YAML: any value reads back as itself with every other value unchanged, or is refused', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom('kind', 'servingInfo.bindAddress', 'etcdClientInfo.ca', 'newKey'), str, (key, value) => {
      const out = edit(() => setYaml(baseYaml, key, value));
      if (out === undefined) return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\r]/.test(value);
      const before = getYaml(baseYaml, '') as Record<string, unknown>;
      const after = getYaml(out, '') as Record<string, unknown>;
      return getYaml(out, key) === value && Object.keys(after).length === Object.keys(before).length + (key === 'newKey' ? 1 : 0) && JSON.stringify(after.etcdClientInfo && (after.etcdClientInfo as Record<string, unknown>).urls) === '["https://m0:2379"]';
    }),
    RUNS,
  );
  // PyYAML (YAML 1.1, as Ansible and the kubelet's go-yaml read) sees the same.
  const samples = fc.sample(str, { numRuns: 200, seed: 3 });
  const docs: { file: string; value: string }[] = [];
  for (const [i, value] of samples.entries()) {
    const out = edit(() => setYaml(baseYaml, 'servingInfo.bindAddress', value));
    if (out === undefined) continue;
    const file = path.join(scratch, `y${i}.yaml`);
    writeFileSync(file, out);
    docs.push({ file, value });
  }
  const py = 'import sys, yaml, json\nprint(json.dumps([yaml.safe_load(open(f, encoding="utf-8")) for f in sys.argv[1:]]))';
  const read = JSON.parse(execFileSync('python3', ['-c', py, ...docs.map((d) => d.file)], { encoding: 'utf8' })) as Record<string, Record<string, unknown>>[];
  read.forEach((doc, i) => {
    t.same(Object.keys(doc), ['kind', 'etcdClientInfo', 'servingInfo'], `${docs[i]!.file}: the same keys`);
    t.same(doc.servingInfo, { bindAddress: docs[i]!.value }, `${docs[i]!.file}: the value`);
  });
  t.ok(docs.length > 20, `${docs.length} documents read by PyYAML`);
  t.throws(() => setYaml(baseYaml, 'kind', 'x\u2028servingInfo: evil'), /holds U\+2028, a line break or control character for YAML readers/);
  t.equal(readFileSync(docs[0]!.file, 'utf8').includes('kind: MasterConfig'), true);
});
