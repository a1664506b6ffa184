import { basename } from 'node:path';
import { defineModule, reads, shellQuote, shlexSplit } from '../lib/module/kit.js';
import { controllerFile, readController } from '../lib/module/files/put-file.js';

interface Args {
  cmd: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  executable?: string;
}

const exists = (path: string) => reads.command(`test -e ${shellQuote(path)}`, (r) => r.rc === 0);

function scriptPath(cmd: string): string {
  return shlexSplit(cmd.trim(), { comments: false })[0]?.value ?? '';
}

export default defineModule<Args>({
  name: 'script',
  description:
    "Ansible's script: puts a script from the controller (under files/ beside the playbook, beside it, or absolute) into a private temp directory on the host and runs it there with the words after it, then removes it. `creates`/`removes` decide whether it runs; otherwise it always reports a change, and is skipped in check mode.",
  examples: ['- script: files/prepare.sh --force\n  args:\n    creates: /var/lib/app/.prepared', '- script:\n    cmd: check.py\n    executable: python3\n    chdir: /tmp'],
  freeForm: 'cmd',
  checkMode: 'plan',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['cmd'],
    properties: {
      cmd: { type: 'string', minLength: 1, description: 'The script on the controller, then its arguments (the free form: `script: <path> <args>`).' },
      chdir: { type: 'string', pattern: '^/', description: 'An absolute directory on the host to run it in.' },
      creates: { type: 'string', minLength: 1, description: 'A path on the host; when it exists, the script is not run.' },
      removes: { type: 'string', minLength: 1, description: 'A path on the host; when it does not exist, the script is not run.' },
      executable: { type: 'string', minLength: 1, description: 'The program that runs the script (e.g. python3), instead of its #! line.' },
    },
  },
  reads: (args) => [...(args.creates ? [exists(args.creates)] : []), ...(args.removes ? [exists(args.removes)] : [])],
  async plan(args, ctx) {
    if (args.creates && (await ctx.host.get(exists(args.creates)))) return { changed: false, skipped: `${args.creates} exists, matching creates option` };
    if (args.removes && !(await ctx.host.get(exists(args.removes)))) return { changed: false, skipped: `${args.removes} does not exist, matching removes option` };
    const src = scriptPath(args.cmd);
    if (!src) return { changed: false, failed: 'no script given' };
    // A script that cannot be read fails the task, in check mode too (as Ansible does).
    readController(controllerFile(src, ctx.vars, 'files'));
    if (ctx.check && !args.creates && !args.removes) return { changed: false, skipped: 'Check mode is not supported for this task.' };
    return { changed: true };
  },
  async apply(args, ctx) {
    const src = scriptPath(args.cmd);
    const file = controllerFile(src, ctx.vars, 'files');
    const content = readController(file);
    const name = basename(file).replace(/[^A-Za-z0-9._-]/g, '_') || 'script';
    // The rest of the line is kept as written (the host's shell reads it), as Ansible does.
    const line = args.cmd.trim().replace(src, `"$d"/${shellQuote(name)}`);
    const run = [
      'd=$(mktemp -d) || exit 1',
      `trap 'rm -rf -- "$d"' EXIT`,
      `cat > "$d"/${shellQuote(name)} && chmod 700 "$d"/${shellQuote(name)} || exit 1`,
      ...(args.chdir ? [`cd ${shellQuote(args.chdir)} || exit 1`] : []),
      `${args.executable ? `${args.executable} ` : ''}${line} < /dev/null`,
    ].join('\n');
    const r = await ctx.host.run(run, { stdin: content, allowFailure: true });
    const lines = (s: string) => (s ? s.split(/\r?\n/).filter((l, i, a) => i < a.length - 1 || l !== '') : []);
    const result = { rc: r.rc, stdout: r.stdout, stdout_lines: lines(r.stdout), stderr: r.stderr, stderr_lines: lines(r.stderr) };
    if (r.rc !== 0) return { changed: true, failed: 'non-zero return code', msg: 'non-zero return code', result };
    return { changed: true, result };
  },
});
