// Running the host-side HTTP program (http-script.ts) and the arguments get_url and uri share.

import { ModuleError, shellQuote, type HostView } from '../kit.js';
import { registerSecret } from '../../util/secrets.js';
import { HTTP_SCRIPT } from './http-script.js';

/** Ansible's url_argument_spec, the part both modules take. */
export interface UrlArgs {
  url: string;
  headers?: Record<string, unknown>;
  url_username?: string;
  url_password?: string;
  force_basic_auth: boolean;
  timeout: number;
  validate_certs: boolean;
  use_proxy: boolean;
  http_agent: string;
  client_cert?: string;
  client_key?: string;
}

export const urlProperties = {
  url: { type: 'string', pattern: '^(https?|ftp|file)://', description: 'http, https, ftp or file URL, requested from the host.' },
  headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'Request headers.' },
  url_username: { type: 'string', description: 'User for HTTP basic authentication.' },
  url_password: { type: 'string', description: 'Password for HTTP basic authentication (sent on stdin, never on a command line).' },
  force_basic_auth: { type: 'boolean', default: false, description: 'Send the credentials with the first request instead of after a 401 challenge.' },
  validate_certs: { type: 'boolean', default: true, description: 'false: accept any server certificate.' },
  use_proxy: { type: 'boolean', default: true, description: "false: ignore the host's *_proxy environment variables." },
  http_agent: { type: 'string', default: 'ansible-httpget', description: 'The User-Agent header.' },
  client_cert: { type: 'string', description: 'PEM client certificate on the host (may hold the key too).' },
  client_key: { type: 'string', description: 'PEM client key on the host.' },
} as const;

/** The interpreter the host runs the program with: the inventory's ansible_python_interpreter, else python3. */
function python(vars: Readonly<Record<string, unknown>>): string {
  const p = vars.ansible_python_interpreter;
  return typeof p === 'string' && p !== '' && !p.startsWith('auto') ? p : 'python3';
}

/** What the host program answered: its result keys, and `failed` when the request or a check failed. */
export type HttpAnswer = Record<string, unknown> & { failed?: string };

/** Runs one operation of the host program; parameters go on stdin. */
export async function runHttp(host: HostView, vars: Readonly<Record<string, unknown>>, params: Record<string, unknown>, module: string): Promise<HttpAnswer> {
  const interpreter = python(vars);
  const r = await host.run(`${shellQuote(interpreter)} -c ${shellQuote(HTTP_SCRIPT)}`, { stdin: JSON.stringify(params), allowFailure: true });
  if (r.rc === 127) throw new ModuleError(`${module} runs Python 3 on the host, and '${interpreter}' was not found there: install python3, or set ansible_python_interpreter to its path`);
  try {
    return JSON.parse(r.stdout) as HttpAnswer;
  } catch {
    throw new ModuleError(`${module}: the host's ${interpreter} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** The request parameters of the host program, from the module's arguments. */
export function urlParams(args: UrlArgs): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(args.headers ?? {})) headers[k] = String(v);
  if (args.client_key && !args.client_cert) throw new ModuleError('client_key needs client_cert');
  // Ansible's url_password is no_log: masked wherever output or an error could show it.
  registerSecret(args.url_password);
  return {
    url: args.url,
    headers,
    url_username: args.url_username ?? null,
    url_password: args.url_password ?? null,
    force_basic_auth: args.force_basic_auth,
    timeout: args.timeout,
    validate_certs: args.validate_certs,
    use_proxy: args.use_proxy,
    http_agent: args.http_agent,
    client_cert: args.client_cert ?? null,
    client_key: args.client_key ?? null,
  };
}

/** Ansible's file attributes of a result (uid, gid, owner, group, mode, state, size), from the program's path_info. */
export function pathInfo(answer: HttpAnswer): Record<string, unknown> {
  const info = answer.info;
  return info && typeof info === 'object' ? (info as Record<string, unknown>) : {};
}
