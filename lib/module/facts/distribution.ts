/**
 * distribution, distribution_version/major/minor/release, os_family, as
 * ansible-core 2.14 gives them on Linux (module_utils/facts/system/
 * distribution.py over the distro library), read from /etc/os-release and
 * the release files, and pkg_mgr, which follows from them.
 */
type Facts = Record<string, unknown>;

/** Reads shell-style `KEY=value` lines (os-release, lsb-release): quotes removed. */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"') && v.length > 1) || (v.startsWith("'") && v.endsWith("'") && v.length > 1)) v = v.slice(1, -1);
    out[m[1]] = v.replace(/\\(["'$`\\])/g, '$1');
  }
  return out;
}

/** distro's names for an os-release ID, as Ansible prints them. */
const NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  centos: 'CentOS',
  rhel: 'RedHat',
  fedora: 'Fedora',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  sles: 'SLES',
  sles_sap: 'SLES_SAP',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  alpine: 'Alpine',
  arch: 'Archlinux',
  linuxmint: 'Linux Mint',
  raspbian: 'Debian',
  kali: 'Kali',
  devuan: 'Devuan',
  gentoo: 'Gentoo',
};

/** Ansible's OS_FAMILY map (the Linux part): distribution → family. */
const FAMILIES: Record<string, string[]> = {
  RedHat: ['RedHat', 'Fedora', 'CentOS', 'Scientific', 'SLC', 'Ascendos', 'CloudLinux', 'PSBM', 'OracleLinux', 'OVS', 'OEL', 'Amazon', 'Virtuozzo', 'XenServer', 'Alibaba', 'EulerOS', 'openEuler', 'AlmaLinux', 'Rocky', 'TencentOS', 'EuroLinux', 'Kylin Linux Advanced Server'],
  Debian: ['Debian', 'Ubuntu', 'Raspbian', 'Neon', 'KDE neon', 'Linux Mint', 'SteamOS', 'Devuan', 'Kali', 'Cumulus Linux', 'Pop!_OS', 'Parrot', 'Pardus GNU/Linux', 'Uos', 'Deepin', 'OSMC'],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Alpine: ['Alpine'],
};

export function osFamily(distribution: string): string {
  for (const [family, members] of Object.entries(FAMILIES)) if (members.includes(distribution)) return family;
  return distribution;
}

/** A version in a release file's text (`CentOS Linux release 7.9.2009 (Core)`): its number and its code name. */
function releaseFileVersion(text: string): { version: string; codename: string } {
  const m = /release\s+([\d.]+)(?:\s+\(([^)]*)\))?/i.exec(text) ?? /([\d.]+)(?:\s+\(([^)]*)\))?/.exec(text);
  return { version: m?.[1] ?? '', codename: m?.[2] ?? '' };
}

/** distro's best version: of the candidates, the last one with the most dots. */
function bestVersion(candidates: string[]): string {
  let version = '';
  for (const v of candidates) if (v && (version === '' || v.split('.').length > version.split('.').length)) version = v;
  return version;
}

export interface DistributionInput {
  osRelease: string;
  debianVersion: string;
  redhatRelease: string;
  lsbRelease: string;
}

export function distributionFacts(input: DistributionInput): Facts {
  const os = parseKeyValues(input.osRelease);
  const lsb = parseKeyValues(input.lsbRelease);
  const id = (os.ID ?? lsb.DISTRIB_ID ?? '').toLowerCase();
  const rh = input.redhatRelease.trim() ? releaseFileVersion(input.redhatRelease.trim()) : { version: '', codename: '' };
  let distribution = NAMES[id] ?? (id ? id[0].toUpperCase() + id.slice(1) : 'OtherLinux');
  const first = os.VERSION_ID || lsb.DISTRIB_RELEASE || rh.version;
  let version = first;
  if (id === 'debian' || id === 'raspbian') {
    // distro's best version, with /etc/debian_version among the candidates: "12.11", not os-release's "12".
    version = bestVersion([os.VERSION_ID ?? '', lsb.DISTRIB_RELEASE ?? '', input.debianVersion.trim()]);
  } else if (id === 'centos') {
    version = bestVersion([os.VERSION_ID ?? '', lsb.DISTRIB_RELEASE ?? '', rh.version]).split('.').slice(0, 2).join('.');
  }
  let release = os.VERSION_CODENAME || lsb.DISTRIB_CODENAME || rh.codename || /\(([^)]+)\)/.exec(os.VERSION ?? '')?.[1] || '';
  const facts: Facts = {};
  if (id === 'debian' || id === 'raspbian') {
    distribution = 'Debian';
    const pretty = /PRETTY_NAME=[^(]+ \(?([^)]+?)\)/.exec(input.osRelease);
    if (pretty) release = pretty[1];
    const minor = /(\d+)\.(\d+)/.exec(input.debianVersion.trim());
    if (minor) facts.distribution_minor_version = minor[2];
  }
  if (!version) version = 'NA';
  facts.distribution = distribution;
  facts.distribution_version = version;
  facts.distribution_major_version = version.split('.')[0] || 'NA';
  facts.distribution_release = release || 'NA';
  facts.distribution_file_parsed = true;
  facts.distribution_file_path = input.redhatRelease.trim() && id !== 'debian' ? '/etc/redhat-release' : '/etc/os-release';
  facts.distribution_file_variety = osFamily(distribution) === 'RedHat' && input.redhatRelease.trim() ? 'RedHat' : osFamily(distribution) === 'Debian' ? 'Debian' : distribution;
  facts.os_family = osFamily(distribution);
  return facts;
}

/** pkg_mgr from the package managers present (the last in Ansible's list wins) and the distribution's rules. */
export function pkgMgrFact(present: string[], dist: Facts): string {
  const found = present.filter((p) => p !== 'ostree_booted');
  let name = found.at(-1) ?? 'unknown';
  const family = dist.os_family;
  const major = Number(dist.distribution_major_version);
  if (family === 'RedHat' && name !== 'apt') {
    if (present.includes('ostree_booted')) return 'atomic_container';
    const wantDnf = dist.distribution === 'Fedora' ? major >= 23 : major >= 8;
    if (wantDnf && found.includes('dnf')) name = 'dnf';
    else if (!wantDnf && found.includes('yum')) name = 'yum';
  }
  if (family === 'Debian' && found.includes('apt')) name = 'apt';
  return name;
}
