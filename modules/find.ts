import { defineModule } from '../lib/module/kit.js';
import { findFiles, type FindArgs } from '../lib/module/files/find-tree.js';

const listOrString = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export default defineModule<FindArgs>({
  name: 'find',
  description:
    "Ansible's find: the files (or directories, links) under `paths` whose base name matches `patterns` (shell globs, or Python regular expressions with `use_regex`) and not `excludes`, filtered by `age`, `size` and `contains`. Results as Ansible's: `files` (each with `path` and stat fields: `mode`, `isreg`, `size`, `mtime`, `pw_name`, …), `matched`, `examined`, `msg`, `skipped_paths`. Changes nothing; the host needs GNU find (findutils), not Python.",
  examples: [
    '- find:\n    paths: /var/lib/etcd/backup\n    patterns: "snapshot-*.db"\n    age: 7d\n  register: old\n- file: { path: "{{ item.path }}", state: absent }\n  loop: "{{ old.files }}"',
    '- find: { paths: /etc/origin/master, patterns: ".*\\\\.(crt|key)$", use_regex: true, recurse: true }',
  ],
  checkMode: 'always',
  aliases: { name: 'paths', path: 'paths', pattern: 'patterns', exclude: 'excludes' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      paths: { ...listOrString, description: 'Directories to search (a list, or one comma-separated string).' },
      patterns: { ...listOrString, description: "Base-name patterns, any of which must match: globs (default '*'), or regular expressions with use_regex (matched from the start)." },
      excludes: { ...listOrString, description: 'Base-name patterns of entries to leave out.' },
      contains: { type: 'string', description: "A Python regular expression a line of the file must start with a match of (file_type: file only)." },
      read_whole_file: { type: 'boolean', default: false, description: 'contains searches the whole file (anywhere), not line by line.' },
      file_type: { enum: ['any', 'directory', 'file', 'link'], default: 'file', description: 'The type of what is found.' },
      age: { type: ['string', 'integer'], description: 'At least this old (5d, 2h, 30m, 90s, 1w); negative: at most this old.' },
      age_stamp: { enum: ['atime', 'ctime', 'mtime'], default: 'mtime', description: 'Which time `age` compares.' },
      size: { type: ['string', 'integer'], description: 'At least this size (10k, 1m, 2g, bytes without a unit); negative: at most this size. Files only.' },
      recurse: { type: 'boolean', default: false, description: 'Search subdirectories too.' },
      hidden: { type: 'boolean', default: false, description: 'Include names starting with a dot.' },
      get_checksum: { type: 'boolean', default: false, description: "Give each regular file's sha1 as checksum." },
      use_regex: { type: 'boolean', default: false, description: 'patterns and excludes are Python regular expressions, not globs.' },
      depth: { type: 'integer', minimum: 1, description: 'With recurse, how many levels down to look.' },
    },
  },
  async plan(args, ctx) {
    return { changed: false, result: await findFiles(args, ctx) };
  },
});
