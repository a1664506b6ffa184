import { defineModule, shellQuote } from '../lib/module/kit.js';

interface Args {
  state: 'file' | 'directory';
  path?: string;
  prefix: string;
  suffix: string;
}

export default defineModule<Args>({
  name: 'tempfile',
  description:
    "Ansible's tempfile: makes a new, uniquely named empty file (or directory) on the host, private to its user (0600, or 0700 for a directory), and returns its `path`. A change on every run, as in Ansible; remove it when done (`file: state=absent`). Skipped in check mode, as in Ansible: the name does not exist until it is made.",
  examples: ['- tempfile: { state: directory, suffix: .build }\n  register: build\n- command: make -C {{ build.path }}\n- file: { path: "{{ build.path }}", state: absent }'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      state: { enum: ['file', 'directory'], default: 'file', description: 'Make a file or a directory.' },
      path: { type: 'string', minLength: 1, description: "The directory to make it in (default: the host's $TMPDIR, else /tmp)." },
      prefix: { type: 'string', default: 'ansible.', pattern: '^[^/]*$', description: 'The start of the name.' },
      suffix: { type: 'string', default: '', pattern: '^[^/]*$', description: 'The end of the name.' },
    },
  },
  async plan(_args, ctx) {
    if (ctx.check) return { changed: false, skipped: 'remote module (tempfile) does not support check mode' };
    return { changed: true };
  },
  async apply(args, ctx) {
    const dir = args.path !== undefined ? shellQuote(args.path) : '"${TMPDIR:-/tmp}"';
    // mktemp's name is the prefix, eight random characters and the suffix, as Python's mkstemp makes it.
    const make = `mktemp ${args.state === 'directory' ? '-d ' : ''}-p ${dir} --suffix=${shellQuote(args.suffix)} ${shellQuote(`${args.prefix}XXXXXXXX`)}`;
    const r = await ctx.host.run(`p=$(${make}) && printf '%s\\n' "$p" && stat -c '%u %g %U %G %a %s' -- "$p"`, { allowFailure: true });
    if (r.rc !== 0) return { changed: false, failed: r.stderr.trim().replace(/^mktemp: /, '') || `mktemp failed (rc ${r.rc})` };
    const [path, st] = r.stdout.split('\n');
    const [uid, gid, owner, group, mode, size] = st.split(' ');
    return {
      changed: true,
      result: { path, uid: Number(uid), gid: Number(gid), owner, group, mode: mode.padStart(4, '0'), state: args.state === 'directory' ? 'directory' : 'file', size: Number(size) },
    };
  },
});
