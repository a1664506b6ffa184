import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from './index.js';

// Archives on the controller, made once with tar: top/one.txt, top/sub/two.txt, top/skip.log; times fixed.
const dir = mkdtempSync(join(tmpdir(), 'tsplay-unarchive-table-'));
mkdirSync(join(dir, 'in/top/sub'), { recursive: true });
writeFileSync(join(dir, 'in/top/one.txt'), 'one\n');
writeFileSync(join(dir, 'in/top/sub/two.txt'), 'two\n');
writeFileSync(join(dir, 'in/top/skip.log'), 'log\n');
execFileSync('touch', ['-d', '2024-01-02 03:04:05', join(dir, 'in/top/one.txt'), join(dir, 'in/top/sub/two.txt'), join(dir, 'in/top/skip.log'), join(dir, 'in/top/sub'), join(dir, 'in/top')]);
const tgz = join(dir, 'a.tar.gz');
const tar = join(dir, 'a.tar');
const members = ['top', 'top/one.txt', 'top/skip.log', 'top/sub', 'top/sub/two.txt'];
execFileSync('tar', ['--no-recursion', '-czf', tgz, '-C', join(dir, 'in'), ...members]);
execFileSync('tar', ['--no-recursion', '-cf', tar, '-C', join(dir, 'in'), ...members]);
const zip = join(dir, 'a.zip');
execFileSync('zip', ['-q', '-X', zip, ...members.map((m) => (m.includes('.') ? m : `${m}/`))], { cwd: join(dir, 'in') });
// Readable by the SSH login user too: the setup of some zip cases unzips it on the host.
chmodSync(dir, 0o755);
chmodSync(zip, 0o644);
const notArchive = join(dir, 'not.tar.gz');
writeFileSync(notArchive, 'plain text, not an archive\n');

const tree = { 'out/top/one.txt': 'one\n', 'out/top/sub/two.txt': 'two\n', 'out/top/skip.log': 'log\n' };

const table: Table = () => [
  { name: 'a controller tar.gz into an empty directory', setup: 'mkdir out', args: { src: tgz, dest: '{{ test_dir }}/out' }, plan: { changed: true }, expect: tree, result: { handler: 'TgzArchive', src: tgz, extract_results: { rc: 0 } } },
  { name: 'a plain tar', setup: 'mkdir out', args: { src: tar, dest: '{{ test_dir }}/out' }, plan: { changed: true }, expect: tree, result: { handler: 'TarArchive' } },
  {
    name: 'a file changed since is put back',
    files: { 'out/top/one.txt': 'edited\n' },
    args: { src: tgz, dest: '{{ test_dir }}/out' },
    plan: { changed: true },
    expect: { 'out/top/one.txt': 'one\n' },
  },
  { name: 'exclude leaves a member out', setup: 'mkdir out', args: { src: tgz, dest: '{{ test_dir }}/out', exclude: ['*.log'] }, plan: { changed: true }, expect: { 'out/top/one.txt': 'one\n', 'out/top/skip.log': null } },
  { name: 'extra_opts: --strip-components', setup: 'mkdir out', args: { src: tgz, dest: '{{ test_dir }}/out', extra_opts: ['--strip-components=1'] }, plan: { changed: true }, expect: { 'out/one.txt': 'one\n', 'out/sub/two.txt': 'two\n' } },
  { name: 'list_files', setup: 'mkdir out', args: { src: tgz, dest: '{{ test_dir }}/out', list_files: true }, plan: { changed: true }, result: { files: ['top/', 'top/one.txt', 'top/skip.log', 'top/sub/', 'top/sub/two.txt'] } },
  {
    name: 'remote_src: an archive on the host',
    setup: "mkdir -p in/d out && printf 'r\\n' > in/d/r.txt && tar -czf a.tgz -C in d && rm -rf in",
    args: { src: '{{ test_dir }}/a.tgz', dest: '{{ test_dir }}/out', remote_src: true, list_files: true },
    plan: { changed: true },
    expect: { 'out/d/r.txt': 'r\n' },
    result: { files: ['d/', 'd/r.txt'], handler: 'TgzArchive' },
  },
  { name: 'creates: an existing path skips it', files: { 'out/marker': '' }, args: { src: tgz, dest: '{{ test_dir }}/out', creates: '{{ test_dir }}/out/marker' }, plan: { changed: false, skipped: true }, expect: { 'out/top/one.txt': null } },
  { name: 'dest that is not a directory fails', args: { src: tgz, dest: '{{ test_dir }}/none' }, plan: { changed: false, failed: /dest '.*none' must be an existing dir/ } },
  { name: 'a file that is not an archive fails', setup: 'mkdir out', args: { src: notArchive, dest: '{{ test_dir }}/out' }, plan: { changed: false, failed: /not a tar archive/ } },
  { name: 'remote_src with a missing file fails', setup: 'mkdir out', args: { src: '{{ test_dir }}/nope.tgz', dest: '{{ test_dir }}/out', remote_src: true }, plan: { changed: false, failed: /Source '.*nope\.tgz' does not exist/ } },
  { name: 'zip: a controller archive into an empty directory', setup: 'mkdir out', args: { src: zip, dest: '{{ test_dir }}/out' }, plan: { changed: true }, expect: tree, result: { handler: 'ZipArchive', src: zip, extract_results: { rc: 0 } } },
  { name: 'zip: a file changed since (same size and time) is put back by its CRC', setup: "mkdir -p out && unzip -q -o " + zip + " -d out && printf 'ONE\\n' > out/top/one.txt && touch -d '2024-01-02 03:04:05' out/top/one.txt", args: { src: zip, dest: '{{ test_dir }}/out' }, plan: { changed: true }, expect: { 'out/top/one.txt': 'one\n' } },
  { name: 'zip: a file of another mode is unpacked again', setup: 'mkdir -p out && unzip -q -o ' + zip + ' -d out && chmod 600 out/top/one.txt', args: { src: zip, dest: '{{ test_dir }}/out' }, plan: { changed: true }, expect: { 'out/top/one.txt': { content: 'one\n', mode: 0o644 } } },
  { name: 'zip: already unpacked changes nothing', setup: 'mkdir -p out && unzip -q -o ' + zip + ' -d out', args: { src: zip, dest: '{{ test_dir }}/out' }, plan: { changed: false }, expect: tree },
  { name: 'zip: exclude leaves a member out', setup: 'mkdir out', args: { src: zip, dest: '{{ test_dir }}/out', exclude: ['*.log'], list_files: true }, plan: { changed: true }, expect: { 'out/top/one.txt': 'one\n', 'out/top/skip.log': null }, result: { files: ['top/', 'top/one.txt', 'top/sub/', 'top/sub/two.txt'] } },
  {
    name: 'zip: keep_newer leaves a newer file alone',
    setup: "mkdir -p out/top && printf 'mine\\n' > out/top/one.txt && touch -d '2030-01-01 00:00:00' out/top/one.txt",
    args: { src: zip, dest: '{{ test_dir }}/out', keep_newer: true },
    plan: { changed: true },
    expect: { 'out/top/one.txt': 'mine\n', 'out/top/sub/two.txt': 'two\n' },
  },
  {
    name: 'zip: remote_src, listed',
    setup: "mkdir -p in/d out && printf 'r\\n' > in/d/r.txt && (cd in && zip -q -r ../a.zip d) && rm -rf in",
    args: { src: '{{ test_dir }}/a.zip', dest: '{{ test_dir }}/out', remote_src: true, list_files: true },
    plan: { changed: true },
    expect: { 'out/d/r.txt': 'r\n' },
    result: { files: ['d/', 'd/r.txt'], handler: 'ZipArchive' },
  },
  { name: 'zip: a damaged archive fails with what zipinfo said', setup: "mkdir out && printf 'PK\\003\\004not really' > a.zip", args: { src: '{{ test_dir }}/a.zip', dest: '{{ test_dir }}/out', remote_src: true }, plan: { changed: false, failed: /failed to read .*a\.zip with zipinfo/ } },
  { name: 'remote_src with creates: skipped before anything is read', files: { marker: '' }, args: { src: '{{ test_dir }}/nope.tgz', dest: '{{ test_dir }}/nodir', remote_src: true, creates: '{{ test_dir }}/marker' }, plan: { changed: false, skipped: true } },
];
export default table;
