import { defineModule, scriptInShell, shellQuote } from '../lib/module/kit.js';

interface Args {
  cmd: string;
  executable?: string;
}

export default defineModule<Args>({
  name: 'raw',
  description:
    "Ansible's raw: runs the command line as it is on the host, through its shell (or `executable`), with no module machinery and nothing needed on the host but a shell; for bootstrapping a host that has nothing else. Always reports a change; skipped in check mode. The result holds `rc`, `stdout`, `stderr` and their `_lines`.",
  examples: ['- raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3)', '- raw: echo $0\n  args:\n    executable: /bin/bash'],
  freeForm: 'cmd',
  checkMode: 'skip',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['cmd'],
    properties: {
      cmd: { type: 'string', description: 'The command line (the free form: `raw: <command>`).' },
      executable: { type: 'string', minLength: 1, description: 'The shell to run it with, e.g. /bin/bash (default: /bin/sh).' },
    },
  },
  async plan() {
    return { changed: true };
  },
  async apply(args, ctx) {
    const r = await ctx.host.run(scriptInShell(args.executable ?? '/bin/sh', args.cmd, shellQuote), { allowFailure: true });
    const lines = (s: string) => (s ? s.split(/\r?\n/).filter((l, i, a) => i < a.length - 1 || l !== '') : []);
    const result = { rc: r.rc, stdout: r.stdout, stdout_lines: lines(r.stdout), stderr: r.stderr, stderr_lines: lines(r.stderr) };
    if (r.rc !== 0) return { changed: true, failed: 'non-zero return code', msg: 'non-zero return code', result };
    return { changed: true, result };
  },
});
