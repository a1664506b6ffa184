/** `tsplay run`: the ansible-playbook of tsplay. */
import { ExitCode, TsplayError } from '../errors.js';
import type { RunOptions } from '../engine/options.js';
import type { Reporter } from '../output/events.js';
import { list, parse, type Options } from './args.js';
import { parseExtraVars } from './extra-vars.js';
import type { Io } from './io.js';
import { applyVaultOptions, vaultOptions, VAULT_USAGE } from './vault-options.js';
import { abortOnSignals } from './signals.js';
import { outputLimit, parseSize } from '../connection/output-cap.js';
import type { RunRecord } from '../output/json.js';
import { describeError } from './report-error.js';
import { isTsplayError } from '../errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { applyConfig, printTimer } from './config-options.js';
import { askPasswords, connectionOptions, connectionRunOptions } from './connection-options.js';

export const RUN_USAGE = `Usage: tsplay run <playbook.yml>... [options]

  -i, --inventory SRC       Inventory file, directory or host list "a,b," (repeatable)
  -e, --extra-vars VARS     key=value, @file.yml or YAML/JSON (repeatable; highest precedence)
  -C, --check               Dry run: look, predict, change nothing
  -D, --diff                Show the changes made (or, with --check, that would be made)
  -l, --limit PATTERN       Only these hosts (a host pattern)
  -t, --tags TAGS           Only tasks with these tags (comma-separated, repeatable)
      --skip-tags TAGS      Skip tasks with these tags
  -f, --forks N             Hosts worked on at once (default 20)
  -b, --become              Run as another user (root by default)
      --become-user USER    The user to become
      --become-method M     sudo or su
  -K, --ask-become-pass     Ask for the become password
  -k, --ask-pass            Ask for the SSH password
${VAULT_USAGE}
  -u, --user USER           Remote user when the inventory names none
      --private-key FILE    SSH key when the inventory names none (also --key-file)
      --ssh-common-args A   ssh options for every host that sets no ansible_ssh_common_args
  -c, --connection TYPE     ssh or local, when the inventory names none
  -T, --timeout SECONDS     SSH connect timeout (default 10)
      --host-key-checking M strict (default), accept-new, or off
      --output-limit SIZE   Bytes of a command's stdout and of its stderr a result keeps
                            (default 8M; also TSPLAY_OUTPUT_LIMIT); the rest is discarded
      --json                The run's record on stdout: one JSON event per line (docs/events.md)
      --log FILE            Also append the record to FILE (created 0600) while the terminal
                            shows the normal view; default: the TSPLAY_LOG_PATH variable
      --no-color            Plain text without colours or the live view (also NO_COLOR, TERM=dumb)
      --syntax-check        Load and validate, run nothing
      --list-hosts          Print the hosts each play would run on
      --list-tasks          Print the tasks each play would run
      --list-tags           Print the tags of the tasks each play would run
      --start-at-task NAME  Start at the first task of this name (a shell pattern)
      --step                Ask before each task: (N)o/(y)es/(c)ontinue
      --force-handlers      Run notified handlers even on hosts that failed afterwards
      --flush-cache         Accepted: tsplay keeps no fact cache between runs
  -v, -vv, -vvv             More output

Defaults come from ansible.cfg and ANSIBLE_* variables, found as Ansible finds
them (tsplay config dump --only-changed shows them; docs/configuration.md).`;

const options: Options = {
  inventory: { type: 'string', short: 'i', multiple: true },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  limit: { type: 'string', short: 'l' },
  tags: { type: 'string', short: 't', multiple: true },
  'skip-tags': { type: 'string', multiple: true },
  ...connectionOptions,
  'ssh-common-args': { type: 'string' },
  'host-key-checking': { type: 'string' },
  'output-limit': { type: 'string' },
  json: { type: 'boolean' },
  log: { type: 'string' },
  'no-color': { type: 'boolean' },
  'syntax-check': { type: 'boolean' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  'list-tags': { type: 'boolean' },
  'flush-cache': { type: 'boolean' },
  'force-handlers': { type: 'boolean' },
  'start-at-task': { type: 'string' },
  step: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...vaultOptions,
};

function splitCsv(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

interface ReporterHandle {
  reporter: Reporter;
  /** Ctrl-C: the live view clears itself. */
  interrupt?(): void;
  /** The view shows the command each host runs: trace commands. */
  trace?: boolean;
  /** Resolves once everything the reporter shows has reached stdout. */
  done(): Promise<void>;
}

/** Whether the terminal may get colours and the live view: a TTY, no CI, no NO_COLOR, a TERM that is not dumb. */
export function terminalFeatures(values: Record<string, unknown>, io: Io, env: NodeJS.ProcessEnv = process.env): { live: boolean; color: boolean } {
  // As ink's own test (is-in-ci): CI=false or CI=0 says "not CI".
  const ci = env.CI !== '0' && env.CI !== 'false' && ('CI' in env || 'CONTINUOUS_INTEGRATION' in env || Object.keys(env).some((k) => k.startsWith('CI_')));
  const plain = !io.isTTY || ci || env.TERM === 'dumb' || !!values['no-color'];
  return { live: !plain, color: !plain && !env.NO_COLOR };
}

async function reporterFor(values: Record<string, unknown>, io: Io, verbosity: number): Promise<ReporterHandle> {
  const done = async () => {};
  if (values.json) return { reporter: () => {}, done };
  const { live, color } = terminalFeatures(values, io);
  // ink redraws with erase codes, which only a terminal understands; CI logs and pipes get plain lines.
  // io.isTTY is stdout's, so the terminal UI draws on process.stdout itself.
  // --step asks on the terminal between tasks: plain lines, which a question can follow.
  if (live && !values.step) {
    const { createInkReporter } = await import('../output/ink/index.js');
    return { ...createInkReporter({ stdout: process.stdout, verbosity, diff: !!values.diff, color }), trace: true };
  }
  const { plainReporter } = await import('../output/plain.js');
  return { reporter: plainReporter({ write: io.out, verbosity, diff: !!values.diff, color }), done };
}

/** Errors already written to the run's record, so main() does not write them again. */
export const RECORDED = Symbol.for('tsplay.recorded');

/** `--ssh-common-args "-o X=1"`: ssh options start with a dash, which node's parser would take for an option of their own. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--ssh-common-args' && i + 1 < argv.length) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

export async function runCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals, verbosity } = parse(joinDashValues(argv), options, RUN_USAGE);
  if (values.help) {
    io.out(RUN_USAGE + '\n');
    return ExitCode.ok;
  }
  const config = loadConfig();
  for (const w of config.warnings) io.err(`[WARNING]: ${w}\n`);
  // stdout_callback = json: the run's record on stdout, as --json.
  if (config.values.get('DEFAULT_STDOUT_CALLBACK')?.value === 'json') values.json = true;
  if (values['syntax-check'] || values['list-hosts'] || values['list-tasks'] || values['list-tags']) return runOrDescribe(values, positionals, verbosity, io, config);
  // The run's record: --json on stdout, --log FILE (or TSPLAY_LOG_PATH) in a file; one identity for both.
  const logPath = (values.log as string | undefined) ?? (process.env.TSPLAY_LOG_PATH || undefined);
  if (!values.json && !logPath) return runOrDescribe(values, positionals, verbosity, io, config);
  const { createRunRecord, runIdentity } = await import('../output/json.js');
  const identity = runIdentity(['run', ...argv]);
  const planned = { playbooks: positionals, check: !!values.check, diff: !!values.diff, inventory: list(values.inventory) };
  const records: RunRecord[] = [];
  let log: { write(s: string): void; close(): void } | undefined;
  if (logPath) {
    const { openLog } = await import('../output/log-file.js');
    log = openLog(logPath);
    records.push(createRunRecord(log.write, { identity, planned }));
  }
  const json = values.json ? createRunRecord(io.out, { identity, planned }) : undefined;
  if (json) records.push(json);
  const all: RunRecord = {
    reporter: (e) => {
      for (const r of records) r.reporter(e);
    },
    error: (e) => records.forEach((r) => r.error(e)),
    finish: (code) => records.forEach((r) => r.finish(code)),
    get ended() {
      return records.every((r) => r.ended);
    },
  };
  try {
    const code = await runOrDescribe(values, positionals, verbosity, io, config, all);
    all.finish(code);
    return code;
  } catch (e) {
    const { text, exitCode } = describeError(e, verbosity);
    const { message, pos, hint } = isTsplayError(e) ? e : { message: text.replace(/^ERROR! /, '').split('\n')[0], pos: undefined, hint: undefined };
    all.error({ message, ...(pos ? { pos } : {}), ...(hint ? { hint } : {}), exitCode });
    if (e && typeof e === 'object') (e as Record<symbol, unknown>)[RECORDED] = true;
    throw e;
  } finally {
    log?.close();
  }
}

async function runOrDescribe(
  values: Record<string, unknown>,
  positionals: string[],
  verbosity: number,
  io: Io,
  config: LoadedConfig,
  record?: RunRecord,
): Promise<number> {
  // ansible.cfg and ANSIBLE_* give the options the command line leaves out.
  values = applyConfig(values, config);
  if (!positionals.length) throw new TsplayError('option', 'no playbook given', { hint: `name one, e.g. tsplay run playbooks/site.yml -i inventories/lab\n\n${RUN_USAGE}` });
  const hostKeyChecking = values['host-key-checking'] as string | undefined;
  if (hostKeyChecking && !['strict', 'accept-new', 'off'].includes(hostKeyChecking)) {
    throw new TsplayError('option', `--host-key-checking must be strict, accept-new or off, got '${hostKeyChecking}'`);
  }
  const { connectTimeoutMs, ...reach } = connectionRunOptions(values, config);
  const outputLimitText = values['output-limit'] as string | undefined;
  if (outputLimitText !== undefined) {
    // Through the environment, as TSPLAY_OUTPUT_LIMIT: the command modules read it where they run.
    process.env.TSPLAY_OUTPUT_LIMIT = String(parseSize(outputLimitText, '--output-limit'));
  } else outputLimit(); // a bad TSPLAY_OUTPUT_LIMIT is an option error now, not a failed task later
  // Before anything is read: -e @file, inventories and playbooks may hold vault values.
  await applyVaultOptions(values);
  const runOptions: RunOptions = {
    playbooks: positionals,
    inventory: list(values.inventory),
    extraVars: parseExtraVars(list(values['extra-vars'])),
    check: !!values.check,
    diff: !!values.diff,
    limit: values.limit as string | undefined,
    tags: splitCsv(list(values.tags)),
    skipTags: splitCsv(list(values['skip-tags'])),
    verbosity,
    ...reach,
    ...(values['force-handlers'] ? { forceHandlers: true } : {}),
    ...(values['start-at-task'] !== undefined ? { startAtTask: String(values['start-at-task']) } : {}),
    connection: {
      hostKeyChecking: hostKeyChecking as 'strict' | 'accept-new' | 'off' | undefined,
      connectTimeoutMs,
    },
  };
  if (values['syntax-check'] || values['list-hosts'] || values['list-tasks'] || values['list-tags']) {
    const { describePlaybooks } = await import('./list-command.js');
    return describePlaybooks(runOptions, { listHosts: !!values['list-hosts'], listTasks: !!values['list-tasks'], listTags: !!values['list-tags'] }, io);
  }
  await askPasswords(values, runOptions.connection!);
  // Ansible's warnings for a run without inventory or hosts, and its error for a --limit that leaves none.
  await (await import('./inventory-checks.js')).checkInventory(runOptions.inventory, runOptions.limit, io);
  const output = await reporterFor(values, io, verbosity);
  // --json: the record is stdout's view. --log: the terminal keeps its normal view and the record goes to the file.
  runOptions.reporters = [...(values.json ? [] : [output.reporter]), ...(record ? [record.reporter] : [])];
  // callbacks_enabled = profile_tasks: its lines follow the normal output's (the live view has no room for them).
  if (values.profileTasks && !values.json && !output.trace) runOptions.reporters.push((await import('./profile-tasks.js')).profileTasks(io.out));
  else if (values.profileTasks) io.err('[WARNING]: profile_tasks prints only with the plain output (not --json, not the live view: use --no-color); the run record has every task\'s times\n');
  if (record) runOptions.record = true;
  if (values.step) runOptions.step = (await import('./step.js')).stepQuestion(values.json ? io.err : io.out); // --json keeps stdout for the record
  if (output.trace) runOptions.trace = true;
  const controller = new AbortController();
  runOptions.signal = controller.signal;
  // Ctrl-C, SIGTERM and SIGHUP stop the run at once (lib/cli/signals.ts): connections are
  // closed (runPlaybook listens to the signal) and the exit code is 99, without
  // waiting for commands still running on the hosts.
  const interrupted = new Promise<number>((resolve) => {
    controller.signal.addEventListener('abort', () => setTimeout(() => resolve(ExitCode.interrupted), 250), { once: true });
  });
  const stopHandling = abortOnSignals(controller, io.err, () => output.interrupt?.());
  let shown = false;
  try {
    const { runPlaybook } = await import('../engine/run.js');
    const started = Date.now();
    const code = await Promise.race([runPlaybook(runOptions).then((r) => r.exitCode), interrupted]);
    await output.done();
    shown = true;
    // callbacks_enabled = timer: the run's length after the recap, as Ansible's timer callback prints it.
    if (values.timer && !values.json) printTimer(Date.now() - started, io);
    return code;
  } finally {
    stopHandling();
    // The last frame and the recap must be on screen before main() prints an error or the process exits.
    if (!shown) await output.done();
  }
}
