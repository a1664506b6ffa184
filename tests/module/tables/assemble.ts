import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from './index.js';

// Fragments on the controller, for remote_src: false.
const controller = mkdtempSync(join(tmpdir(), 'tsplay-assemble-table-'));
mkdirSync(join(controller, 'parts'));
writeFileSync(join(controller, 'parts/10-global'), 'global\n');
writeFileSync(join(controller, 'parts/20-defaults'), 'defaults');

const parts = { 'parts/20-backend': 'backend api\n', 'parts/10-frontend': 'frontend in', 'parts/.hidden': 'hidden\n' };

const table: Table = () => [
  {
    name: 'fragments sorted by name, a newline after one without',
    files: parts,
    args: { src: '{{ test_dir }}/parts', dest: '{{ test_dir }}/out.cfg', mode: '0640' },
    plan: { changed: true },
    diff: [{ path: 'out.cfg', before: '', after: 'hidden\nfrontend in\nbackend api\n' }],
    expect: { 'out.cfg': { content: 'hidden\nfrontend in\nbackend api\n', mode: 0o640 } },
    result: { msg: 'OK', checksum: /^[0-9a-f]{40}$/, md5sum: /^[0-9a-f]{32}$/ },
  },
  { name: 'already assembled: nothing changes', files: { ...parts, 'out.cfg': 'hidden\nfrontend in\nbackend api\n' }, args: { src: '{{ test_dir }}/parts', dest: '{{ test_dir }}/out.cfg' }, plan: { changed: false } },
  {
    name: 'a delimiter between fragments, ignore_hidden',
    files: parts,
    args: { src: '{{ test_dir }}/parts', dest: '{{ test_dir }}/out.cfg', delimiter: '# ---', ignore_hidden: true },
    plan: { changed: true },
    expect: { 'out.cfg': 'frontend in\n# ---\nbackend api\n' },
  },
  { name: 'regexp picks fragments by name', files: parts, args: { src: '{{ test_dir }}/parts', dest: '{{ test_dir }}/out.cfg', regexp: 'back' }, plan: { changed: true }, expect: { 'out.cfg': 'backend api\n' } },
  {
    name: 'a changed fragment rewrites the file, with a backup',
    files: { ...parts, 'out.cfg': 'old\n' },
    args: { src: '{{ test_dir }}/parts', dest: '{{ test_dir }}/out.cfg', backup: true, ignore_hidden: true },
    plan: { changed: true },
    expect: { 'out.cfg': 'frontend in\nbackend api\n' },
    result: { backup_file: /out\.cfg\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/ },
  },
  { name: 'remote_src: false reads the controller', args: { src: join(controller, 'parts'), remote_src: false, dest: '{{ test_dir }}/out.cfg' }, plan: { changed: true }, expect: { 'out.cfg': 'global\ndefaults' } },
  { name: 'validate refuses: the old file stays', files: { ...parts, 'out.cfg': 'old\n' }, args: { src: '{{ test_dir }}/parts', dest: '{{ test_dir }}/out.cfg', validate: 'grep -q nothing-like-this %s' }, plan: { changed: true }, applied: { changed: false, failed: /validation of the new .* failed/ }, expect: { 'out.cfg': 'old\n' }, idempotent: false },
  { name: 'a missing source fails', args: { src: '{{ test_dir }}/none', dest: '{{ test_dir }}/out.cfg' }, plan: { changed: false, failed: /Source \(.*none\) does not exist/ } },
  { name: 'a source that is a file fails', files: { f: 'x' }, args: { src: '{{ test_dir }}/f', dest: '{{ test_dir }}/out.cfg' }, plan: { changed: false, failed: /Source \(.*f\) is not a directory/ } },
];
export default table;
