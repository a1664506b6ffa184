import type { Table } from './index.js';

// A .repo file in the case's own directory (reposdir), as Ansible 2.14's yum_repository writes it.
const EPEL = '[epel]\nbaseurl = https://example.org/epel/7/$basearch/\ngpgcheck = 1\ngpgkey = https://example.org/RPM-GPG-KEY-EPEL-7\nname = EPEL YUM repo\n\n';
const epel = { name: 'epel', description: 'EPEL YUM repo', baseurl: 'https://example.org/epel/7/$basearch/', gpgcheck: true, gpgkey: 'https://example.org/RPM-GPG-KEY-EPEL-7', reposdir: '{{ test_dir }}' };

const table: Table = () => [
  {
    name: 'a repository gets its file, keys sorted, booleans as 0/1',
    args: epel,
    plan: { changed: true },
    diff: [{ path: 'epel.repo', before: '', after: EPEL }],
    expect: { 'epel.repo': EPEL },
    result: { repo: 'epel', state: 'present' },
  },
  {
    name: 'the same repository again changes nothing, whatever the file looks like',
    files: { 'epel.repo': '# managed\n[epel]\nname=EPEL YUM repo\nbaseurl=https://example.org/epel/7/$basearch/\ngpgkey=https://example.org/RPM-GPG-KEY-EPEL-7\ngpgcheck=1\n' },
    args: epel,
    plan: { changed: false },
    expect: { 'epel.repo': '# managed\n[epel]\nname=EPEL YUM repo\nbaseurl=https://example.org/epel/7/$basearch/\ngpgkey=https://example.org/RPM-GPG-KEY-EPEL-7\ngpgcheck=1\n' },
  },
  {
    name: 'a changed repository is rewritten; the other repositories of the file stay',
    files: { 'all.repo': '[base]\nname = Base\nbaseurl = http://mirror/base\n\n[epel]\nname = old\nbaseurl = http://old\nenabled = 0\n' },
    args: { ...epel, file: 'all', enabled: true, baseurl: ['http://a/', 'http://b/'], exclude: ['kernel*', 'etcd'] },
    plan: { changed: true },
    expect: { 'all.repo': '[base]\nname = Base\nbaseurl = http://mirror/base\n\n[epel]\nbaseurl = http://a/\n\thttp://b/\nenabled = 1\nexclude = kernel* etcd\ngpgcheck = 1\ngpgkey = https://example.org/RPM-GPG-KEY-EPEL-7\nname = EPEL YUM repo\n\n' },
  },
  {
    name: 'absent removes the section, and the file with its last one',
    files: { 'epel.repo': EPEL },
    args: { name: 'epel', state: 'absent', reposdir: '{{ test_dir }}' },
    plan: { changed: true },
    expect: { 'epel.repo': null },
  },
  {
    name: 'absent keeps the file when other repositories are in it',
    files: { 'all.repo': `[base]\nname = Base\nbaseurl = http://mirror/base\n\n${EPEL}` },
    args: { name: 'epel', state: 'absent', file: 'all', reposdir: '{{ test_dir }}' },
    plan: { changed: true },
    expect: { 'all.repo': '[base]\nname = Base\nbaseurl = http://mirror/base\n\n' },
  },
  { name: 'absent with no such repository changes nothing', args: { name: 'epel', state: 'absent', reposdir: '{{ test_dir }}' }, plan: { changed: false }, expect: { 'epel.repo': null } },
  { name: 'present needs a URL', args: { name: 'x', description: 'x', reposdir: '{{ test_dir }}' }, plan: { changed: false, failed: /Parameter 'baseurl', 'metalink' or 'mirrorlist' is required\./ } },
  { name: 'present needs a description', args: { name: 'x', baseurl: 'http://x', reposdir: '{{ test_dir }}' }, plan: { changed: false, failed: /Parameter 'description' is required\./ } },
  { name: 'the directory must exist', args: { ...epel, reposdir: '{{ test_dir }}/missing' }, plan: { changed: false, failed: /Repo directory '.*missing' does not exist\./ } },
  { name: 'an option tsplay does not write is refused', args: { ...epel, params: { x: 1 } }, plan: { changed: false, failed: /unsupported argument 'params'/ } },
];
export default table;
