/**
 * A Debian package repository built by the test, for apt on a lab host (the
 * lab hosts have no package sources and need no network): small packages
 * made with dpkg-deb, a flat repository (Packages and Release written here),
 * copied into the host and named by a sources entry `[trusted=yes]
 * file:/srv/tsplay-apt-test ./`.
 *
 *   const repo = buildAptRepo(dir);              // on the controller
 *   await installAptRepo('master-0', repo);      // on the host: the files and the sources entry
 *   await removeAptRepo('master-0');             // the host as it was (teardown)
 *
 * Packages (all architecture `all`):
 *   tsplay-demo 1.0 and 2.0   /usr/share/tsplay-demo/version, conffile /etc/tsplay-demo.conf
 *   tsplay-lib 1.0            a dependency of tsplay-app
 *   tsplay-app 1.0            depends on tsplay-lib
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labExec, run, LAB_SCRIPT } from './lab.js';

export const REPO_ON_HOST = '/srv/tsplay-apt-test';
export const SOURCES_ON_HOST = '/etc/apt/sources.list.d/tsplay-apt-test.list';
export const TEST_PACKAGES = ['tsplay-demo', 'tsplay-lib', 'tsplay-app'];

interface PackageSpec {
  name: string;
  version: string;
  depends?: string;
  conffile?: boolean;
}

const SPECS: PackageSpec[] = [
  { name: 'tsplay-demo', version: '1.0', conffile: true },
  { name: 'tsplay-demo', version: '2.0', conffile: true },
  { name: 'tsplay-lib', version: '1.0' },
  { name: 'tsplay-app', version: '1.0', depends: 'tsplay-lib' },
];

function buildDeb(out: string, work: string, p: PackageSpec): string {
  const root = join(work, `${p.name}_${p.version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share', p.name), { recursive: true });
  writeFileSync(join(root, 'usr/share', p.name, 'version'), `${p.version}\n`);
  const control = [
    `Package: ${p.name}`,
    `Version: ${p.version}`,
    'Architecture: all',
    'Maintainer: tsplay tests <tests@tsplay.invalid>',
    'Section: misc',
    'Priority: optional',
    ...(p.depends ? [`Depends: ${p.depends}`] : []),
    `Description: ${p.name}, a package the tsplay tests install`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'DEBIAN/control'), control);
  if (p.conffile) {
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', `${p.name}.conf`), `# ${p.name} ${p.version}\n`);
    writeFileSync(join(root, 'DEBIAN/conffiles'), `/etc/${p.name}.conf\n`);
  }
  const deb = join(out, `${p.name}_${p.version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, deb], { stdio: 'pipe' });
  return deb;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The Packages stanza of a .deb: its control fields, then where it is and its checksums. */
function stanza(deb: string, file: string): string {
  const control = execFileSync('dpkg-deb', ['-f', deb]).toString().trimEnd();
  const bytes = readFileSync(deb);
  return `${control}\nFilename: ./${file}\nSize: ${bytes.length}\nMD5sum: ${createHash('md5').update(bytes).digest('hex')}\nSHA256: ${sha256(bytes)}\n`;
}

/**
 * Builds the repository in `dir` and returns its folder. `extraDebs` are
 * more .deb files to serve (python3-apt for ansible-playbook's apt module).
 */
export function buildAptRepo(dir: string, extraDebs: string[] = []): string {
  const out = join(dir, 'apt-repo');
  const work = join(dir, 'apt-build');
  mkdirSync(out, { recursive: true });
  mkdirSync(work, { recursive: true });
  for (const p of SPECS) buildDeb(out, work, p);
  for (const d of extraDebs) copyFileSync(d, join(out, d.split('/').pop()!));
  const debs = readdirSync(out).filter((f) => f.endsWith('.deb')).sort();
  const packages = debs.map((f) => stanza(join(out, f), f)).join('\n');
  writeFileSync(join(out, 'Packages'), packages);
  const p = readFileSync(join(out, 'Packages'));
  writeFileSync(join(out, 'Release'), `Origin: tsplay-tests\nLabel: tsplay-tests\nSuite: tests\nCodename: tests\nDate: ${new Date(statSync(join(out, 'Packages')).mtimeMs).toUTCString()}\nSHA256:\n ${sha256(p)} ${p.length} Packages\n`);
  return out;
}

/** Copies the repository into the host and adds its sources entry (the lists are not updated). */
export async function installAptRepo(host: string, repo: string): Promise<void> {
  const tar = execFileSync('tar', ['-C', repo, '-czf', '-', '.']).toString('base64');
  const r = await run('bash', [LAB_SCRIPT, 'exec', host, '--', 'bash', '-c', `set -e; rm -rf ${REPO_ON_HOST}; mkdir -p ${REPO_ON_HOST}; base64 -d | tar -C ${REPO_ON_HOST} -xzf -; echo 'deb [trusted=yes] file:${REPO_ON_HOST} ./' > ${SOURCES_ON_HOST}`], { input: tar });
  if (r.rc !== 0) throw new Error(`could not copy the apt repository into ${host}: ${r.stderr}`);
}

/** Removes the test's packages, the repository, its sources entry and the lists apt fetched from it. */
export async function removeAptRepo(host: string, morePackages: string[] = []): Promise<void> {
  const pkgs = [...TEST_PACKAGES, ...morePackages].join(' ');
  await labExec(host, `DEBIAN_FRONTEND=noninteractive dpkg --purge ${pkgs} >/dev/null 2>&1; rm -rf ${REPO_ON_HOST} ${SOURCES_ON_HOST} /var/lib/apt/lists/*tsplay-apt-test* /var/lib/apt/periodic/update-success-stamp; apt-get clean >/dev/null 2>&1; true`);
}

/** Installed version of a package on the host ('' when not installed). */
export async function installedVersion(host: string, name: string): Promise<string> {
  const r = await labExec(host, `dpkg-query -W -f='\${db:Status-Abbrev}\t\${Version}' ${name} 2>/dev/null`);
  const [status = '', version = ''] = r.stdout.split('\t');
  return status[1] === 'i' ? version : '';
}

/** The python3-apt packages ansible-playbook's apt module needs on the target (.ci/run downloads them). */
export const PYTHON_APT_CACHE = '/var/cache/tsplay-ci/debs';
/** python3-apt and what it needs that a lab host lacks. */
export const PYTHON_APT_PACKAGES = ['python3-apt', 'python-apt-common', 'distro-info-data'];
export function pythonAptDebs(): string[] {
  const have = () => (existsSync(PYTHON_APT_CACHE) ? readdirSync(PYTHON_APT_CACHE) : []).filter((f) => PYTHON_APT_PACKAGES.some((p) => f.startsWith(`${p}_`)) && f.endsWith('.deb'));
  if (have().length < PYTHON_APT_PACKAGES.length) {
    mkdirSync(PYTHON_APT_CACHE, { recursive: true });
    execFileSync('apt-get', ['download', '-qq', ...PYTHON_APT_PACKAGES], { cwd: PYTHON_APT_CACHE, stdio: 'pipe' });
  }
  return have().map((f) => join(PYTHON_APT_CACHE, f));
}
