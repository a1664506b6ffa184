/**
 * An rpm repository built by the test, for dnf run against an installroot
 * (the controller's own packages are never touched): small noarch packages
 * made with rpmbuild, a repository made with createrepo_c, and a dnf.conf
 * whose reposdir holds only this repository's .repo file.
 *
 *   const repo = buildRpmRepo(dir);
 *   // dnf -c repo.conf --installroot=<scratch>/root install tsplay-demo
 *
 * Packages (noarch):
 *   tsplay-demo 1.0-1 and 2.0-1   /usr/share/tsplay-demo/version
 *   tsplay-lib 1.0-1              a dependency of tsplay-app
 *   tsplay-app 1.0-1              requires tsplay-lib
 *
 * Repositories in the .repo file: `tsplay` (enabled, gpgcheck=0) and
 * `tsplay-signed` (the same packages, disabled, gpgcheck=1: the packages are
 * unsigned, so it installs only with disable_gpg_check).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RpmRepo {
  /** The repository folder (repodata and the .rpm files). */
  dir: string;
  /** A dnf.conf naming the test's reposdir. */
  conf: string;
}

interface RpmSpec {
  name: string;
  version: string;
  requires?: string;
}

const SPECS: RpmSpec[] = [
  { name: 'tsplay-demo', version: '1.0' },
  { name: 'tsplay-demo', version: '2.0' },
  { name: 'tsplay-lib', version: '1.0' },
  { name: 'tsplay-app', version: '1.0', requires: 'tsplay-lib' },
];

export const RPM_TEST_PACKAGES = ['tsplay-demo', 'tsplay-lib', 'tsplay-app'];

function specFile(p: RpmSpec): string {
  return [
    `Name: ${p.name}`,
    `Version: ${p.version}`,
    'Release: 1',
    `Summary: ${p.name}, a package the tsplay tests install`,
    'License: MIT',
    'BuildArch: noarch',
    ...(p.requires ? [`Requires: ${p.requires}`] : []),
    '%description',
    `${p.name}, a package the tsplay tests install.`,
    '%install',
    `mkdir -p %{buildroot}/usr/share/${p.name}`,
    `echo %{version} > %{buildroot}/usr/share/${p.name}/version`,
    '%files',
    `/usr/share/${p.name}/version`,
    '',
  ].join('\n');
}

export function buildRpmRepo(dir: string): RpmRepo {
  const top = join(dir, 'rpmbuild');
  const out = join(dir, 'rpm-repo');
  const reposdir = join(dir, 'yum.repos.d');
  for (const d of [join(top, 'SPECS'), out, reposdir]) mkdirSync(d, { recursive: true });
  for (const p of SPECS) {
    const spec = join(top, 'SPECS', `${p.name}-${p.version}.spec`);
    writeFileSync(spec, specFile(p));
    // HOME: rpmbuild reads ~/.rpmmacros; the test's own folder keeps the user's out of it.
    execFileSync('rpmbuild', ['--quiet', '--define', `_topdir ${top}`, '-bb', spec], { stdio: 'pipe', env: { ...process.env, HOME: dir, LC_ALL: 'C' } });
  }
  const built = join(top, 'RPMS', 'noarch');
  for (const f of readdirSync(built)) copyFileSync(join(built, f), join(out, f));
  execFileSync('createrepo_c', ['-q', out], { stdio: 'pipe' });
  writeFileSync(
    join(reposdir, 'tsplay-test.repo'),
    `[tsplay]\nname=tsplay test packages\nbaseurl=file://${out}\ngpgcheck=0\nenabled=1\n\n[tsplay-signed]\nname=tsplay test packages, signatures checked\nbaseurl=file://${out}\ngpgcheck=1\nenabled=0\n`,
  );
  const conf = join(dir, 'dnf.conf');
  // No plugins, no weak dependencies, no cache reuse between installroots: each case sees only this repository.
  writeFileSync(conf, `[main]\nreposdir=${reposdir}\nplugins=0\ninstall_weak_deps=0\nkeepcache=0\n`);
  return { dir: out, conf };
}
