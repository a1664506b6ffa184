import type { Table } from './index.js';

// A bare repository the case makes with the git binary: main with two commits (tag v1 on the first), a branch 'next'.
const G = 'git -c user.email=t@example.com -c user.name=t -c init.defaultBranch=main -c advice.detachedHead=false';
const repo = [
  `${G} init -q --bare repo.git`,
  `${G} clone -q repo.git work 2>/dev/null`,
  `cd work && printf 'v1\\n' > app.txt && ${G} add app.txt && ${G} commit -qm one && ${G} tag v1`,
  `printf 'v2\\n' > app.txt && ${G} commit -qam two && ${G} push -q origin main v1`,
  `${G} checkout -qb next && printf 'next\\n' > app.txt && ${G} commit -qam three && ${G} push -q origin next && cd ..`,
].join(' && ');
const cloned = `${repo} && ${G} clone -q repo.git clone`;

const table: Table = () => [
  { name: 'clones the default branch', setup: repo, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone' }, plan: { changed: true }, expect: { 'clone/app.txt': 'v2\n' }, result: { before: null, after: /^[0-9a-f]{40}$/ }, checkResult: { before: null, after: /^[0-9a-f]{40}$/ } },
  { name: 'a branch', setup: repo, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', version: 'next' }, plan: { changed: true }, expect: { 'clone/app.txt': 'next\n' } },
  { name: 'a tag, shallow', setup: repo, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', version: 'v1', depth: 1 }, plan: { changed: true }, expect: { 'clone/app.txt': 'v1\n' } },
  { name: 'a clone already there changes nothing', setup: cloned, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone' }, plan: { changed: false }, result: { before: /^[0-9a-f]{40}$/, after: /^[0-9a-f]{40}$/, remote_url_changed: false } },
  { name: 'an existing clone moves to another branch', setup: cloned, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', version: 'next' }, plan: { changed: true }, expect: { 'clone/app.txt': 'next\n' } },
  {
    name: 'the remote moved on: fetched and checked out',
    setup: `${cloned} && cd work && ${G} checkout -q main && printf 'v3\\n' > app.txt && ${G} commit -qam four && ${G} push -q origin main`,
    args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone' },
    plan: { changed: true },
    expect: { 'clone/app.txt': 'v3\n' },
  },
  { name: 'local changes fail without force', setup: `${cloned} && printf 'mine\\n' > clone/app.txt`, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone' }, plan: { changed: false, failed: /Local modifications exist/ }, expect: { 'clone/app.txt': 'mine\n' } },
  { name: 'force discards local changes', setup: `${cloned} && printf 'mine\\n' > clone/app.txt`, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', force: true }, plan: { changed: true }, expect: { 'clone/app.txt': 'v2\n' } },
  { name: 'update: false leaves a clone where it is', setup: cloned, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', version: 'next', update: false }, plan: { changed: false }, expect: { 'clone/app.txt': 'v2\n' } },
  { name: 'clone: false leaves a missing dest missing', setup: repo, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', clone: false }, plan: { changed: false }, expect: { 'clone/app.txt': null } },
  { name: 'a version that does not exist fails', setup: repo, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone', version: 'nope' }, plan: { changed: false, failed: /Failed to find the version 'nope'/ } },
  { name: 'a repository that does not exist fails', args: { repo: '{{ test_dir }}/none.git', dest: '{{ test_dir }}/clone' }, plan: { changed: false, failed: /Failed to list the remote refs/ } },
  { name: 'a dest with other files fails', files: { 'clone/x': 'x' }, setup: repo, args: { repo: '{{ test_dir }}/repo.git', dest: '{{ test_dir }}/clone' }, plan: { changed: false, failed: /already exists and is not an empty directory/ } },
];
export default table;
