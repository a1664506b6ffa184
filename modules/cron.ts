import { defineModule, fileDiff, ModuleError, reads, shellQuote, type FileDiff, type ResultData } from '../lib/module/kit.js';
import { CronLines, jobLine, splitLines, userCrontabText } from '../lib/module/system/crontab.js';

interface Args {
  name: string;
  user?: string;
  job?: string;
  cron_file?: string;
  state: 'present' | 'absent';
  backup: boolean;
  minute: string;
  hour: string;
  day: string;
  month: string;
  weekday: string;
  special_time?: string;
  disabled: boolean;
  env: boolean;
  insertafter?: string;
  insertbefore?: string;
}

interface State {
  /** The new content ('' with `removeFile`). */
  after: string;
  before: string;
  /** The cron_file is removed: its last job went. */
  removeFile?: boolean;
}

const cronPath = (f: string) => (f.startsWith('/') ? f : `/etc/cron.d/${f}`);

/** `crontab` for the user: `-u` only when it is not the user commands run as (as Ansible does). */
function crontabCommand(user: string | undefined, rest: string): string {
  if (user === undefined) return `crontab ${rest}`;
  const u = shellQuote(user);
  return `if [ "$(id -un)" = ${u} ]; then crontab ${rest}; else crontab -u ${u} ${rest}; fi`;
}

function readUserCrontab(user: string | undefined) {
  return reads.command(`command -v crontab >/dev/null || exit 127\n${crontabCommand(user, '-l')}`);
}

const TIME = { type: 'string', default: '*', pattern: '^\\S+$' };

export default defineModule<Args, State>({
  name: 'cron',
  description:
    "Ansible's cron: a named job (`#Ansible: <name>` above its line) or, with `env: true`, a variable, present or absent in a user's crontab or in a file under /etc/cron.d (`cron_file`). Only the named entry changes; `--diff` shows the crontab before and after.",
  examples: [
    '- cron:\n    name: etcd backup\n    minute: "0"\n    hour: "*/6"\n    job: /usr/local/bin/etcd-backup\n    user: root\n    cron_file: etcd-backup',
    '- cron:\n    name: old job\n    state: absent',
    '- cron:\n    name: MAILTO\n    env: true\n    job: ops@example.com',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'The job (written as `#Ansible: <name>` above it) or, with env, the variable.' },
      user: { type: 'string', minLength: 1, description: 'Whose crontab (default: the user the task runs as); with cron_file, the user the jobs run as.' },
      job: { type: 'string', description: 'The command (or, with env, the value); needed for state: present.' },
      cron_file: { type: 'string', minLength: 1, description: 'A file under /etc/cron.d (or an absolute path) instead of the user crontab; needs user.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the job (or variable) is in the crontab as given; absent: the entry of that name is removed.' },
      backup: { type: 'boolean', default: false, description: 'Keep the old crontab in a temp file on the host (`backup_file`).' },
      minute: { ...TIME, description: 'Minute (0-59), as cron reads it: `*`, `*/5`, `0,30`.' },
      hour: { ...TIME, description: 'Hour (0-23), as cron reads it.' },
      day: { ...TIME, description: 'Day of the month (1-31), as cron reads it.' },
      month: { ...TIME, description: 'Month (1-12), as cron reads it.' },
      weekday: { ...TIME, description: 'Day of the week (0-6, Sunday 0), as cron reads it.' },
      special_time: { enum: ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'], description: 'An `@reboot`, `@daily`… line instead of the five time fields.' },
      disabled: { type: 'boolean', default: false, description: 'Write the job commented out.' },
      env: { type: 'boolean', default: false, description: 'Manage a variable `name="job"` instead of a job.' },
      insertafter: { type: 'string', description: 'With env: put a new variable after this one.' },
      insertbefore: { type: 'string', description: 'With env: put a new variable before this one.' },
    },
  },
  reads: (args) => [args.cron_file ? reads.file(cronPath(args.cron_file)) : readUserCrontab(args.user)],
  async plan(args, ctx) {
    if (args.cron_file === '/etc/crontab') return { changed: false, failed: 'Will not manage /etc/crontab via cron_file, see documentation.' };
    if (args.insertafter !== undefined && args.insertbefore !== undefined) return { changed: false, failed: 'parameters are mutually exclusive: insertafter|insertbefore' };
    if (args.cron_file && !/^[A-Z0-9_-]+$/i.test(args.cron_file.split('/').pop()!)) {
      ctx.warn(`Filename portion of cron_file ("${args.cron_file.split('/').pop()}") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens`);
    }
    let before: string;
    let tab: CronLines;
    const path = args.cron_file ? cronPath(args.cron_file) : undefined;
    if (path) {
      const f = await ctx.host.read(path);
      before = f.text ?? '';
      tab = new CronLines(splitLines(before));
    } else {
      const r = await ctx.host.get(readUserCrontab(args.user));
      if (r.rc === 127) return { changed: false, failed: 'Failed to find required executable "crontab" on the host (install cron, or use cron_file)' };
      if (r.rc !== 0 && r.rc !== 1) return { changed: false, failed: `Unable to read crontab: ${r.stderr.trim()}` };
      const u = userCrontabText(r.rc === 0 ? r.stdout : '');
      before = u.text;
      tab = new CronLines(u.lines);
    }
    const present = args.state === 'present';
    const times = [args.minute, args.hour, args.day, args.month, args.weekday];
    if (args.special_time && times.some((x) => x !== '*')) return { changed: false, failed: 'You must specify time and date fields or special time.' };
    if (present) {
      if (args.cron_file && args.user === undefined) return { changed: false, failed: 'To use cron_file=... parameter you must specify user=... as well' };
      if (args.job === undefined) return { changed: false, failed: "You must specify 'job' to install a new cron job or variable" };
      if ((args.insertafter !== undefined || args.insertbefore !== undefined) && !args.env) return { changed: false, failed: 'Insertafter and insertbefore parameters are valid only with env=yes' };
    }

    let changed = false;
    if (args.env) {
      if (args.name.includes(' ')) return { changed: false, failed: 'Invalid name for environment variable' };
      const decl = `${args.name}="${args.job}"`;
      const old = tab.findEnv(args.name);
      if (present) {
        if (!old.length) {
          if (!tab.addEnv(decl, args.insertafter, args.insertbefore)) return { changed: false, failed: `Variable named '${args.insertafter ?? args.insertbefore}' not found.` };
          changed = true;
        } else if (old[1] !== decl) {
          tab.updateEnv(args.name, decl);
          changed = true;
        }
      } else if (old.length) {
        tab.updateEnv(args.name);
        changed = true;
      }
    } else if (present) {
      if (/[\r\n]/.test(args.job!.replace(/^[\r\n]+|[\r\n]+$/g, ''))) ctx.warn('Job should not contain line breaks');
      const job = jobLine({ minute: args.minute, hour: args.hour, day: args.day, month: args.month, weekday: args.weekday, job: args.job!, special_time: args.special_time, disabled: args.disabled, user: args.cron_file ? args.user : undefined });
      const old = tab.findJob(args.name, job);
      if (!old.length) tab.addJob(args.name, job);
      else if (old[1] !== job || old.length > 2) tab.updateJob(args.name, job);
      changed = !old.length || old[1] !== job || old.length > 2;
    } else if (tab.findJob(args.name).length) {
      tab.updateJob(args.name);
      changed = true;
      if (path && tab.isEmpty()) {
        const exists = (await ctx.host.read(path)).exists;
        return {
          changed: exists,
          diff: exists ? [{ ...fileDiff(path, before, ''), afterLabel: '/dev/null' }] : [],
          result: { cron_file: args.cron_file, state: args.state },
          state: { before, after: '', removeFile: true },
        };
      }
    }
    // Nothing to change, but the crontab lacks its final newline.
    if (!changed && before !== '' && !/[\r\n]$/.test(before)) changed = true;

    const after = tab.render();
    const result: ResultData = { jobs: tab.jobNames(), envs: tab.envNames(), ...(args.cron_file ? { cron_file: args.cron_file } : {}) };
    const label = path ?? (args.user !== undefined ? `crontab for user "${args.user}"` : 'crontab');
    const diff: FileDiff[] = changed ? [path ? fileDiff(path, before, after) : { label, before, after }] : [];
    return { changed, diff, result, state: { before, after } };
  },
  async apply(args, ctx, plan) {
    const st = plan.state!;
    const result: ResultData = { ...plan.result };
    if (args.backup) {
      const b = await ctx.host.run('f=$(mktemp "${TMPDIR:-/tmp}/crontabXXXXXXXX") && cat > "$f" && printf %s "$f"', { stdin: st.before });
      result.backup_file = b.stdout;
    }
    const path = args.cron_file ? cronPath(args.cron_file) : undefined;
    if (path && st.removeFile) {
      await ctx.host.remove(path);
      return { changed: true, result };
    }
    if (path) await ctx.host.write(path, st.after);
    else {
      const r = await ctx.host.run(crontabCommand(args.user, '-'), { stdin: st.after, allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `crontab failed (rc ${r.rc})`);
    }
    return { changed: true, result };
  },
});
