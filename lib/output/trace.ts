/**
 * -vvv: the connection and every command sent to a host, as Ansible's -vvv
 * shows them (`<host> ESTABLISH SSH CONNECTION FOR USER: root`, `<host> EXEC
 * ...`). A connection is wrapped so each call becomes a `log` event of
 * verbosity 3; the event stream masks known passwords in it like in every
 * other event. What goes on a command's stdin (file contents, a become
 * password) is never shown, and the commands of a `no_log` task are not
 * shown at all: the task runs inside traceScope({ noLog: true }).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { userInfo } from 'node:os';
import type { Connection, ExecOptions, FileOptions } from '../connection/types.js';

export interface TraceScope {
  noLog: boolean;
}

const scope = new AsyncLocalStorage<TraceScope>();

/** Runs `fn` with its commands shown (or hidden for no_log) in the trace. */
export function traceScope<T>(s: TraceScope, fn: () => Promise<T>): Promise<T> {
  return scope.run(s, fn);
}

/** The longest command line the trace shows whole. */
const MAX_COMMAND = 4000;

function shown(command: string): string {
  return command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND)}… (${command.length} characters)` : command;
}

function become(o?: FileOptions): string {
  return o?.become ? ` (become ${o.become.user ?? 'root'}${o.become.method ? ` via ${o.become.method}` : ''})` : '';
}

/** The connection's settings as -vvv shows them: never its passwords. */
export function describeConnection(vars: Record<string, unknown>): string {
  const type = String(vars.ansible_connection ?? 'ssh');
  if (type === 'local') return 'ESTABLISH LOCAL CONNECTION FOR USER: ' + localUser();
  const user = vars.ansible_user !== undefined ? String(vars.ansible_user) : '(default)';
  const address = vars.ansible_host !== undefined ? String(vars.ansible_host) : '';
  const port = vars.ansible_port !== undefined ? `:${String(vars.ansible_port)}` : '';
  const key = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
  const auth = vars.ansible_password !== undefined || vars.ansible_ssh_pass !== undefined ? ', password authentication' : key !== undefined ? `, key ${String(key)}` : '';
  return `ESTABLISH ${type.toUpperCase()} CONNECTION FOR USER: ${user}${address ? ` to ${address}${port}` : ''}${auth}`;
}

/** A connection that reports what it does to `log`; everything else passes through untouched. */
export function tracedConnection(conn: Connection, connectLine: string, log: (message: string) => void): Connection {
  const hidden = () => scope.getStore()?.noLog === true;
  const say = (what: string) => log(hidden() ? `${what.split(' ')[0]} (hidden: the task has no_log)` : what);
  let connected = false;
  const connecting = () => {
    if (connected) return;
    connected = true;
    log(connectLine);
  };
  const describe: Record<string, (...a: never[]) => string> = {
    exec: (command: string, opts?: ExecOptions) =>
      `EXEC ${shown(command)}${become(opts)}${opts?.cwd ? ` (in ${opts.cwd})` : ''}${opts?.stdin !== undefined ? ` (stdin: ${Buffer.byteLength(opts.stdin)} bytes, not shown)` : ''}`,
    put: (path: string, content: Buffer | string, opts?: FileOptions) => `PUT ${path} (${Buffer.byteLength(content)} bytes)${become(opts)}`,
    get: (path: string, opts?: FileOptions) => `FETCH ${path}${become(opts)}`,
    stat: (path: string, opts?: FileOptions) => `STAT ${path}${become(opts)}`,
    chmod: (path: string, mode: number, opts?: FileOptions) => `CHMOD ${mode.toString(8)} ${path}${become(opts)}`,
    chown: (path: string, uid: number, gid: number, opts?: FileOptions) => `CHOWN ${uid}:${gid} ${path}${become(opts)}`,
    rename: (from: string, to: string, opts?: FileOptions) => `RENAME ${from} ${to}${become(opts)}`,
    sha256: (path: string, opts?: FileOptions) => `SHA256 ${path}${become(opts)}`,
  };
  return new Proxy(conn, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function') return v;
      if (key === 'connect') {
        return (...args: unknown[]) => {
          connecting();
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      const d = typeof key === 'string' ? describe[key] : undefined;
      if (!d) return (v as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        connecting();
        say((d as (...a: unknown[]) => string)(...args));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
