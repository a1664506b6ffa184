/**
 * Running a command as another user (sudo, su), shared by every transport.
 *
 * What runs is the fixed script reader (stdin-script.ts) under `sh -c`: the
 * task's environment and script come on stdin after sudo or su has let the
 * command start, so neither appears in the process list or sudo's log.
 *
 * Passwords are never written blindly to stdin: if sudo does not ask (NOPASSWD,
 * a cached ticket), a password written up front would become the command's
 * input. Instead the wrapped command first prints a random marker on stdout.
 * Until the marker appears, only sudo or su is running: a prompt on stderr is
 * answered with the password, a second prompt means the password was wrong,
 * and the framed script and the command's own stdin are written only once the
 * marker is seen.
 */
import { randomBytes } from 'node:crypto';
import type { BecomeOptions, ExecResult } from './types.js';
import { CommandError } from './types.js';
import { shellQuote } from './quote.js';

/** The start of the prompt given to `sudo -p`; each call adds a random part so command output cannot imitate it. */
export const SUDO_PROMPT = '[tsplay-sudo-password]:';

export type BecomeMethod = 'sudo' | 'su';

export interface BecomePlan {
  /** The shell line to run as the login user. */
  line: string;
  method: BecomeMethod;
  user: string;
  password?: string;
  /** Printed on stdout by the target user's shell before the command runs. */
  marker: string;
  /** sudo: the exact prompt passed with -p. */
  prompt: string;
}

/** A failure of sudo or su itself, before the command ran: never a result, always an error. */
export class BecomeError extends CommandError {
  constructor(command: string, result: ExecResult, message: string) {
    super(command, result);
    this.name = 'BecomeError';
    this.message = message;
  }
}

export function becomeUser(become: BecomeOptions): string {
  return become.user ?? 'root';
}

/**
 * A user name sudo and su can only read as a user: letters, digits, `_`,
 * `.`, `-` (never first) and a trailing `$` (Samba machine accounts), or
 * `#UID` for sudo. Anything else (a leading `-` that su would read as an
 * option, spaces, shell or control characters) is refused: become users often
 * come from host data.
 */
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\$?$/;
const SUDO_UID = /^#[0-9]{1,10}$/;

/** Why `user` cannot be a become user for `method`, or undefined when it can. */
export function becomeUserProblem(user: string, method: BecomeMethod = 'sudo'): string | undefined {
  if (USER_NAME.test(user) && !/^[0-9]+$/.test(user)) return undefined;
  if (method === 'sudo' && SUDO_UID.test(user)) return undefined;
  const shown = JSON.stringify(user.length > 80 ? `${user.slice(0, 80)}…` : user);
  if (/^[0-9]+$/.test(user)) return `become user ${shown} is a number: give the user's name${method === 'sudo' ? ` or '#${user}' for a uid` : ''}`;
  if (user.startsWith('-')) return `become user ${shown} starts with '-' and would be read as an option by ${method}: give a user name`;
  return `become user ${shown} is not a valid user name (letters, digits, '_', '.', '-' not first${method === 'sudo' ? ", or '#UID'" : ''})`;
}

/** Throws a clear error when the user or method is not one tsplay will hand to sudo or su. */
export function checkBecome(become: BecomeOptions): void {
  const method = become.method ?? 'sudo';
  if (method !== 'sudo' && method !== 'su') throw new Error(`unsupported become method ${JSON.stringify(String(method))} (use sudo or su)`);
  const problem = becomeUserProblem(becomeUser(become), method);
  if (problem) throw new Error(problem);
  // sudo and su read the password up to a line break: the rest would reach the command as its input.
  if (become.password !== undefined && /[\r\n\0]/.test(become.password)) {
    throw new Error(`the become password for '${becomeUser(become)}' contains a line break or NUL, which ${method} cannot read: check ansible_become_password`);
  }
}

/**
 * The command line that runs `command` as the become user; `marker`, when
 * given, is printed on stdout by the target shell before the command.
 * `command` is normally SCRIPT_READER (stdin-script.ts): the command line
 * holds no secret, the script comes on stdin. Options end with `--` before
 * the user (su) or the command (sudo), and the user has been checked.
 */
export function wrapBecome(command: string, become: BecomeOptions, marker?: string, prompt: string = SUDO_PROMPT): string {
  checkBecome(become);
  const user = becomeUser(become);
  const script = marker ? `echo ${marker}; ${command}` : command;
  const inner = `sh -c ${shellQuote(script)}`;
  if ((become.method ?? 'sudo') === 'su') {
    // LC_ALL=C keeps su's prompt and errors in English so they can be recognised;
    // -l (`su -`) starts a clean login environment, so it does not reach the command.
    return `LC_ALL=C LANGUAGE=C su -l -c ${shellQuote(inner)} -- ${shellQuote(user)}`;
  }
  // -n never waits for a password that is not coming; -S reads it from stdin.
  const auth = become.password !== undefined ? `-S -p ${shellQuote(prompt)}` : '-n';
  return `sudo -H ${auth} -u ${shellQuote(user)} -- ${inner}`;
}

/** The plan for running SCRIPT_READER (or `command`) as the become user. */
export function planBecome(command: string, become: BecomeOptions): BecomePlan {
  checkBecome(become);
  const method = become.method ?? 'sudo';
  const id = randomBytes(8).toString('hex');
  const marker = `TSPLAY-BECOME-OK-${id}`;
  const prompt = `${SUDO_PROMPT}${id}:`;
  return {
    line: wrapBecome(command, become, marker, prompt),
    method,
    user: becomeUser(become),
    password: become.password,
    marker,
    prompt,
  };
}

/** Where BecomeIO writes the command's stdin: a child process or an SSH channel. */
export interface BecomeSink {
  write(data: Buffer): void;
  end(data?: Buffer): void;
}

const SU_PROMPT = /assword[^\n]*:\s*$/;
const SU_FAILED = /Authentication failure|incorrect password|Sorry/i;

/**
 * Drives one command's stdin/stdout/stderr: answers the become prompt,
 * strips the marker and prompt, and holds back stdin until the command runs.
 * Without a plan it only writes stdin.
 */
export class BecomeIO {
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private head = Buffer.alloc(0);
  private errHead = '';
  private running: boolean;
  private prompts = 0;
  private failure?: string;

  constructor(
    private readonly plan: BecomePlan | undefined,
    private readonly sink: BecomeSink,
    private readonly stdin: Buffer,
    private readonly host = 'the host',
  ) {
    this.running = !plan;
  }

  start(): void {
    if (!this.plan) this.sink.end(this.stdin);
  }

  /** True once sudo or su failed; the caller should stop waiting for the command. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  onStdout(chunk: Buffer): void {
    if (this.running) {
      this.out.push(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const marker = Buffer.from(`${this.plan!.marker}\n`);
    const at = this.head.indexOf(marker);
    if (at < 0) return;
    // Anything before the marker came from login scripts, not from the command.
    this.out.push(this.head.subarray(at + marker.length));
    this.head = Buffer.alloc(0);
    this.running = true;
    if (this.errHead) this.err.push(Buffer.from(this.cleanErr(this.errHead)));
    this.errHead = '';
    this.sink.end(this.stdin);
  }

  onStderr(chunk: Buffer): void {
    if (this.running || this.failure) {
      if (this.running) this.err.push(chunk);
      return;
    }
    this.errHead += chunk.toString('utf8');
    const plan = this.plan!;
    if (plan.method === 'sudo') {
      let i: number;
      while ((i = this.errHead.indexOf(plan.prompt)) >= 0) {
        this.errHead = this.errHead.slice(0, i) + this.errHead.slice(i + plan.prompt.length);
        this.prompts++;
        if (this.prompts === 1 && plan.password !== undefined) {
          this.sink.write(Buffer.from(`${plan.password}\n`));
        } else {
          // sudo asks again only when the password was wrong: end stdin so it gives up at once.
          this.fail(`incorrect sudo password for user '${plan.user}' on ${this.host}`);
          return;
        }
      }
    } else {
      if (SU_PROMPT.test(this.errHead)) {
        this.errHead = this.errHead.replace(SU_PROMPT, '');
        this.prompts++;
        if (this.prompts === 1 && plan.password !== undefined) {
          this.sink.write(Buffer.from(`${plan.password}\n`));
        } else if (plan.password === undefined) {
          this.fail(`su to '${plan.user}' on ${this.host} asks for a password: set ansible_become_password or use --ask-become-pass`);
          return;
        } else {
          this.fail(`incorrect su password for user '${plan.user}' on ${this.host}`);
          return;
        }
      } else if (this.prompts > 0 && SU_FAILED.test(this.errHead)) {
        this.fail(`incorrect su password for user '${plan.user}' on ${this.host}`);
      }
    }
  }

  private fail(message: string): void {
    this.failure ??= message;
    this.sink.end();
  }

  private cleanErr(s: string): string {
    return s.replace(/^Sorry, try again\.\n/gm, '');
  }

  /**
   * The command's output once the process has exited. Throws BecomeError
   * when sudo or su failed before the command started.
   */
  finish(command: string, rc: number): ExecResult & { stdoutBuf: Buffer } {
    const stdoutBuf = Buffer.concat(this.out);
    const stderr = Buffer.concat(this.err).toString('utf8');
    if (this.plan && (!this.running || this.failure)) {
      const said = this.cleanErr(this.errHead).trim();
      const result = { rc: rc === 0 ? 1 : rc, stdout: this.head.toString('utf8'), stderr: said };
      throw new BecomeError(command, result, this.failure ?? this.explain(said, rc));
    }
    return { rc, stdout: stdoutBuf.toString('utf8'), stderr, stdoutBuf };
  }

  private explain(said: string, rc: number): string {
    const plan = this.plan!;
    if (plan.method === 'sudo' && /password is required|terminal is required/.test(said)) {
      return `sudo on ${this.host} needs a password to become '${plan.user}': set ansible_become_password or use --ask-become-pass`;
    }
    if (plan.method === 'sudo' && /incorrect password attempt/.test(said)) {
      return `incorrect sudo password for user '${plan.user}' on ${this.host}`;
    }
    if (plan.method === 'su' && SU_FAILED.test(said)) {
      return `incorrect su password for user '${plan.user}' on ${this.host}`;
    }
    return `could not become '${plan.user}' with ${plan.method} on ${this.host} (rc=${rc})${said ? `: ${said.split('\n').slice(-3).join(' | ')}` : ''}`;
  }
}
