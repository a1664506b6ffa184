/**
 * Turns `-i` sources into one inventory, in order: inline host lists
 * (`a,b,`), files (YAML tried first when the extension allows, then INI, as
 * Ansible's plugin order does), and directories (every file in them, minus
 * what Ansible skips). Then group_vars/ and host_vars/ beside each source.
 *
 * Unlike Ansible, a source that cannot be parsed, or does not exist, is an
 * error rather than a warning: Ansible goes on with a partial inventory, which
 * is how plays end up running against the wrong hosts.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TsplayError } from '../errors.js';
import { decodeSource } from '../yaml/decode.js';
import { openVaultFile } from '../yaml/tags.js';
import { parseAddress } from './address.js';
import { InventoryData, LOCALHOST_NAMES } from './data.js';
import { iniReadWholeFile, parseIni } from './ini.js';
import { Breather } from '../util/breather.js';
import { openVarsDir, varsIn } from './vars-files.js';
import { NotYamlInventory, parseYamlInventory } from './yaml-inventory.js';

/** Names Ansible skips in an inventory directory (INVENTORY_IGNORE_EXTS and IGNORED_ALWAYS, 2.14 defaults). */
const IGNORED = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const YAML_EXTS = ['', '.yml', '.yaml', '.json'];

export interface LoadOptions {
  cwd?: string;
  /** Receives Ansible-style warnings (skipped keys and the like). */
  warnings?: string[];
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Ansible's unfrackpath without following links: ~ expanded, absolute, normalised. */
function resolveSource(src: string, cwd: string): string {
  let p = src;
  if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
  return path.resolve(cwd, p);
}

function parseHostList(inv: InventoryData, list: string): void {
  for (const part of list.split(',')) {
    const h = part.trim();
    if (!h) continue;
    const a = parseAddress(h, false);
    const host = a ? a.host : h;
    if (!inv.hosts.has(host)) inv.addHost(host, 'ungrouped', a?.port);
  }
}

async function parseFile(inv: InventoryData, file: string, warnings: string[]): Promise<void> {
  // Ansible decrypts an inventory encrypted as a whole file before any format reads it.
  const text = openVaultFile(decodeSource(await fs.readFile(file), file, 'inventory file'), file);
  inv.currentSource = file;
  inv.currentDir = path.dirname(file);
  const ext = path.extname(file);
  let yamlError: TsplayError | undefined;
  if (YAML_EXTS.includes(ext)) {
    try {
      parseYamlInventory(inv, file, text, warnings);
      return;
    } catch (e) {
      if (!(e instanceof TsplayError)) throw e;
      yamlError = e;
    }
  }
  try {
    await parseIni(inv, file, text);
  } catch (e) {
    if (!(e instanceof TsplayError)) throw e;
    // Report the error of the format the file was most likely written in: for a file
    // without an extension, the parser that read further before it failed (an INI
    // file with a group loop fails as YAML on its second line, as INI on its last).
    if (ext === '' && readFurther(e, yamlError)) throw e;
    if (yamlError && (ext !== '' || !(yamlError instanceof NotYamlInventory))) throw yamlError;
    if (yamlError && ext === '' && yamlError.pos) {
      const p = yamlError.pos;
      throw new TsplayError(e.kind, e.message, {
        pos: e.pos,
        hint: `${e.hint ? e.hint + ' ' : ''}(Read as YAML instead, it fails at ${p.line}:${p.col}: ${yamlError.message}.)`,
      });
    }
    throw e;
  }
}

/** True when the INI error `a` came after reading more of the file than the YAML error `b`. */
function readFurther(a: TsplayError, b: TsplayError | undefined): boolean {
  if (!b?.pos) return false;
  if (iniReadWholeFile(a)) return true;
  if (!a.pos) return false;
  return a.pos.line > b.pos.line || (a.pos.line === b.pos.line && a.pos.col > b.pos.col);
}

async function parseSource(inv: InventoryData, source: string, warnings: string[]): Promise<void> {
  const st = await fs.stat(source);
  if (st.isDirectory()) {
    const names = (await fs.readdir(source)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      if (IGNORED.test(name)) continue;
      await parseSource(inv, path.join(source, name), warnings);
    }
    return;
  }
  await parseFile(inv, source, warnings);
}

export async function loadInventory(sources: string[], opts: LoadOptions = {}): Promise<InventoryData> {
  const cwd = opts.cwd ?? process.cwd();
  const warnings = opts.warnings ?? [];
  const inv = new InventoryData();
  for (const raw of sources) {
    if (!raw) continue;
    const resolved = raw.includes(',') ? raw : resolveSource(raw, cwd);
    const isPath = await exists(raw.includes(',') ? resolveSource(raw, cwd) : resolved);
    if (raw.includes(',') && !isPath) {
      inv.currentSource = raw;
      inv.currentDir = null;
      parseHostList(inv, raw);
      inv.sources.push(raw);
      continue;
    }
    const file = raw.includes(',') ? resolveSource(raw, cwd) : resolved;
    if (!isPath) {
      throw new TsplayError('missing-file', `The inventory source ${file} does not exist`, {
        hint: 'Check the -i path. For a list of hosts, end it with a comma: -i web1,  or  -i web1,web2',
      });
    }
    inv.sources.push(file);
    await parseSource(inv, file, warnings);
  }
  inv.currentSource = null;
  inv.currentDir = null;
  inv.reconcile();
  await loadVarsFiles(inv);
  return inv;
}

/** Reads group_vars/host_vars for every group and host, per source, so hostVars() can merge them in Ansible's order. */
async function loadVarsFiles(inv: InventoryData): Promise<void> {
  for (let i = 0; i < inv.sources.length; i++) {
    const src = inv.sources[i];
    if (src.includes(',') && !(await exists(src))) continue;
    const st = await fs.stat(src);
    const dir = st.isDirectory() ? src : path.dirname(src);
    const groupVars = await openVarsDir(dir, 'group_vars');
    const hostVars = await openVarsDir(dir, 'host_vars');
    for (const g of inv.groups.values()) g.fileVars[i] = await varsIn(groupVars, g.name);
    const breather = new Breather();
    for (const h of inv.hosts.values()) {
      h.fileVars[i] = await varsIn(hostVars, h.name);
      if (breather.due()) await breather.pause();
    }
    for (const name of LOCALHOST_NAMES) {
      if (inv.hosts.has(name)) continue;
      const per = inv.localFileVars.get(name) ?? [];
      per[i] = await varsIn(hostVars, name);
      inv.localFileVars.set(name, per);
    }
  }
}
