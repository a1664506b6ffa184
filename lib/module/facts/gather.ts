/**
 * Gathering facts: one script for the chosen collectors, run as one read on
 * the host, and its sections turned into Ansible's facts (without the
 * `ansible_` prefix; setup adds it).
 */
import { randomBytes } from 'node:crypto';
import { reads, type Read } from '../../connection/batch-read.js';
import { distributionFacts, pkgMgrFact } from './distribution.js';
import { cpuFacts, memoryFacts, mountFacts, uptimeFacts } from './hardware.js';
import { localFacts } from './local.js';
import { networkFacts } from './network.js';
import { factScript, splitSections } from './script.js';
import {
  chrootFacts,
  cmdlineFacts,
  dateTimeFacts,
  dnsFacts,
  envFacts,
  loadavgFacts,
  lsbFacts,
  platformFacts,
  pythonFacts,
  readPythonProbe,
  serviceMgrFacts,
  sshKeyFacts,
  userFacts,
} from './system.js';

type Facts = Record<string, unknown>;

export interface Gathered {
  facts: Facts;
  warnings: string[];
}

/** Turns the script's output into facts, collector by collector, in Ansible's order. */
export function parseGathered(stdout: string, boundary: string, collectors: Set<string>, factPath: string): Gathered {
  const s = splitSections(stdout, boundary);
  const facts: Facts = {};
  const warnings: string[] = [];
  const has = (c: string) => collectors.has(c);
  const python = readPythonProbe(s.get('python'));
  let platform: Facts = {};
  if (has('platform')) platform = platformFacts(s.get('platform'), python?.python_version);
  const dist = has('distribution')
    ? distributionFacts({ osRelease: s.get('os-release') ?? '', debianVersion: s.get('debian_version') ?? '', redhatRelease: s.get('redhat-release') ?? '', lsbRelease: s.get('lsb-release') ?? '' })
    : {};
  if (has('apparmor')) facts.apparmor = { status: s.get('apparmor')?.trim() === 'enabled' ? 'enabled' : 'disabled' };
  if (has('chroot')) Object.assign(facts, chrootFacts(s.get('chroot')));
  if (has('cmdline')) Object.assign(facts, cmdlineFacts(s.get('cmdline')));
  if (has('date_time')) Object.assign(facts, dateTimeFacts(s.get('date_time')));
  Object.assign(facts, dist);
  if (has('dns')) Object.assign(facts, dnsFacts(s.get('resolv')));
  if (has('env')) Object.assign(facts, envFacts(s.get('env')));
  if (has('fips')) facts.fips = s.get('fips')?.trim() === '1';
  if (has('loadavg')) Object.assign(facts, loadavgFacts(s.get('loadavg')));
  if (has('local')) {
    const l = localFacts(s, factPath);
    facts.local = l.local;
    warnings.push(...l.warnings);
  }
  if (has('lsb')) Object.assign(facts, lsbFacts(s.get('lsb_release'), s.get('lsb-release')));
  if (has('pkg_mgr')) facts.pkg_mgr = pkgMgrFact((s.get('pkg_mgr') ?? '').split('\n').filter(Boolean), dist);
  Object.assign(facts, platform);
  if (has('python')) Object.assign(facts, pythonFacts(python));
  if (has('service_mgr')) Object.assign(facts, serviceMgrFacts(s.get('service_mgr')));
  if (has('ssh_pub_keys')) Object.assign(facts, sshKeyFacts(s.get('ssh_pub_keys')));
  if (has('user')) Object.assign(facts, userFacts(s.get('user')));
  if (has('hardware')) {
    Object.assign(facts, memoryFacts(s.get('meminfo')), cpuFacts(s.get('cpuinfo'), s.get('nproc'), String(platform.architecture ?? '')), uptimeFacts(s.get('uptime')));
    Object.assign(facts, mountFacts(s.get('mounts'), s.get('lsblk'), s.get('findmnt')));
  }
  if (has('network')) Object.assign(facts, networkFacts(s));
  return { facts, warnings };
}

/** The read that gathers: not cached (date_time, memory and load change between two gatherings). */
export function gatherRead(collectors: Set<string>, factPath: string, python?: string): Read<Gathered> {
  const boundary = `@@tsplay-facts-${randomBytes(8).toString('hex')}`;
  return reads.command(factScript(collectors, boundary, factPath, python), (r) => parseGathered(r.stdout, boundary, collectors, factPath));
}
