import { defineModule, ModuleError, reads, shellQuote, type ApplyResult, type PlanContext, type ResultData } from '../lib/module/kit.js';
import { runHttp, urlParams, urlProperties, type UrlArgs } from '../lib/module/net/http.js';
import { pythonJsonDumps } from '../lib/module/net/python-json.js';
import { attrProperties, parseMode } from '../lib/module/files/put-file.js';

interface Args extends UrlArgs {
  method: string;
  body?: unknown;
  body_format: 'raw' | 'json' | 'form-urlencoded';
  status_code: number | string | Array<number | string>;
  return_content: boolean;
  follow_redirects: 'all' | 'no' | 'none' | 'safe' | 'urllib2' | 'yes';
  ca_path?: string;
  dest?: string;
  creates?: string;
  removes?: string;
  user?: string;
  password?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

interface State {
  /** creates/removes decided that the request is not made: this is the result. */
  notRun?: ResultData;
}

/** Response bodies kept in memory up to this size; a larger one needs dest. */
const MAX_CONTENT = 64 * 1024 * 1024;

const JSON_TYPES = ['json', 'javascript'];

function statusCodes(s: Args['status_code']): number[] {
  const list = Array.isArray(s) ? s : String(s).split(',');
  return list.map((c) => {
    const n = Number(String(c).trim());
    if (!Number.isInteger(n)) throw new ModuleError(`status_code: ${JSON.stringify(c)} is not a number`);
    return n;
  });
}

/** The request body's bytes and its default Content-Type, as Ansible's uri encodes each body_format. */
function encodeBody(args: Args): { body: Buffer | null; contentType?: string } {
  if (args.body === undefined || args.body === null) return { body: null, contentType: args.body_format === 'json' ? 'application/json' : args.body_format === 'form-urlencoded' ? 'application/x-www-form-urlencoded' : undefined };
  if (args.body_format === 'json') return { body: Buffer.from(typeof args.body === 'string' ? args.body : pythonJsonDumps(args.body)), contentType: 'application/json' };
  if (args.body_format === 'form-urlencoded') {
    if (typeof args.body === 'string') return { body: Buffer.from(args.body), contentType: 'application/x-www-form-urlencoded' };
    if (typeof args.body !== 'object') throw new ModuleError('failed to parse body as form_urlencoded: give a mapping or a list of pairs');
    const form = new URLSearchParams();
    const pairs = Array.isArray(args.body) ? (args.body as unknown[]) : Object.entries(args.body as Record<string, unknown>);
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new ModuleError('failed to parse body as form_urlencoded: a list body must hold [name, value] pairs');
      const [k, v] = pair;
      for (const one of Array.isArray(v) ? v : [v]) form.append(String(k), String(one));
    }
    return { body: Buffer.from(form.toString()), contentType: 'application/x-www-form-urlencoded' };
  }
  if (typeof args.body === 'object') throw new ModuleError('body_format raw needs a string body: give body_format: json for a mapping or a list');
  return { body: Buffer.from(String(args.body)) };
}

/** creates/removes, tested on the host in one read: the result when the request is not made. */
async function notRun(args: Args, ctx: PlanContext): Promise<ResultData | undefined> {
  const paths = [args.creates, args.removes].filter((p): p is string => p !== undefined);
  if (!paths.length) return undefined;
  const r = await ctx.host.get(reads.command(paths.map((p) => `if test -e ${shellQuote(p)}; then echo y; else echo n; fi`).join('; ')));
  const [first, second] = r.stdout.trim().split('\n');
  if (args.creates !== undefined && first === 'y') return { changed: false, stdout: `skipped, since '${args.creates}' exists` };
  const removesSeen = args.creates !== undefined ? second : first;
  if (args.removes !== undefined && removesSeen === 'n') return { changed: false, stdout: `skipped, since '${args.removes}' does not exist` };
  return undefined;
}

/** Ansible's result: the response headers lowercased with `-` as `_`, status, url, redirected, json for a JSON body, content when asked. */
function response(args: Args, answer: Record<string, unknown>, codes: number[], started: number): ApplyResult {
  const out: ResultData = {};
  const content = Buffer.from(String(answer.content_b64 ?? ''), 'base64').toString('utf8');
  for (const [k, v] of Object.entries(answer)) if (k !== 'content_b64' && k !== 'failed' && k !== 'changed') out[k.replace(/-/g, '_').toLowerCase()] = v;
  out.elapsed = Math.floor((Date.now() - started) / 1000);
  const setCookie = typeof answer['set-cookie'] === 'string' ? (answer['set-cookie'] as string) : '';
  const cookies: Record<string, string> = {};
  for (const c of setCookie.split(/,(?=\s*[^;,=\s]+=)/)) {
    const m = /^\s*([^=;\s]+)=([^;]*)/.exec(c);
    if (m) cookies[m[1]] = m[2];
  }
  out.cookies = cookies;
  out.cookies_string = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  if (typeof out.location === 'string') out.location = new URL(out.location, args.url).href;
  const type = String(answer['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const sub = type.split('/')[1] ?? '';
  if (JSON_TYPES.includes(sub.includes('+') ? sub.split('+')[1] : sub) && content !== '') {
    try {
      out.json = JSON.parse(content);
    } catch {
      // Not JSON after all: Ansible leaves json out too.
    }
  }
  if (args.return_content) out.content = content;
  if (answer.failed) return { changed: false, failed: String(answer.failed), result: out };
  const status = Number(answer.status);
  if (!codes.includes(status)) {
    const msg = `Status code was ${status} and not [${codes.join(', ')}]: ${String(answer.msg ?? '')}`;
    return { changed: false, failed: msg, result: { ...out, msg } };
  }
  return { changed: answer.changed === true, msg: String(answer.msg ?? ''), result: out };
}

async function request(args: Args, ctx: PlanContext): Promise<ApplyResult> {
  const codes = statusCodes(args.status_code);
  if (!/^[A-Z]+$/.test(args.method)) throw new ModuleError("Parameter 'method' needs to be a single word in uppercase, like GET or POST.");
  const { body, contentType } = encodeBody(args);
  const headers: Record<string, unknown> = { ...(args.headers ?? {}) };
  if (contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
  const started = Date.now();
  const answer = await runHttp(
    ctx.host,
    ctx.vars,
    {
      ...urlParams({ ...args, headers, url_username: args.url_username ?? args.user, url_password: args.url_password ?? args.password }),
      op: 'uri',
      method: args.method,
      body: body ? body.toString('base64') : null,
      follow_redirects: args.follow_redirects,
      ca_path: args.ca_path ?? null,
      dest: args.dest ?? null,
      status_code: codes,
      max_content: MAX_CONTENT,
      mode: parseMode(args.mode) ?? null,
      owner: args.owner ?? null,
      group: args.group ?? null,
    },
    'uri',
  );
  return response(args, answer, codes, started);
}

export default defineModule<Args, State>({
  name: 'uri',
  description:
    "Ansible's uri: one HTTP(S) request from the host (Python 3 there, as Ansible), with Ansible's result: `status`, `url`, `redirected`, `msg`, the response headers lowercased with `_` for `-` (`content_type`), `json` for a JSON body, `content` with `return_content`, `path` with `dest`. A status not in `status_code` fails the task; the result is there for `until:` all the same. Skipped in check mode, as in Ansible: the request never runs in check mode, its effect cannot be known without making it.",
  examples: [
    '- uri:\n    url: https://{{ inventory_hostname }}:8443/healthz\n    validate_certs: false\n    return_content: true\n  register: health\n  until: health.status == 200 and health.content == "ok"\n  retries: 30\n  delay: 2',
    '- uri:\n    url: http://127.0.0.1:9000/api/drain\n    method: POST\n    body_format: json\n    body: { server: master-2, weight: 0 }\n    status_code: [200, 202]',
  ],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      ...urlProperties,
      http_agent: { type: 'string', default: 'ansible-httpget', description: 'The User-Agent header.' },
      timeout: { type: 'integer', minimum: 1, default: 30, description: 'Seconds the request may take.' },
      user: { type: 'string', description: 'Alias of url_username.' },
      password: { type: 'string', description: 'Alias of url_password.' },
      method: { type: 'string', default: 'GET', description: 'The HTTP method, in uppercase.' },
      body: { description: 'The request body: a string, or a mapping/list encoded by body_format.' },
      body_format: { enum: ['raw', 'json', 'form-urlencoded'], default: 'raw', description: 'json and form-urlencoded encode a mapping and set Content-Type unless headers set it.' },
      status_code: {
        anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'array', items: { type: ['integer', 'string'] } }],
        default: [200],
        description: 'The statuses that mean success; any other fails the task.',
      },
      return_content: { type: 'boolean', default: false, description: 'Put the body in `content` (a JSON body is in `json` either way).' },
      follow_redirects: { enum: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'], default: 'safe', description: 'safe: follow redirects of GET and HEAD only; all (yes, urllib2): every one; none (no): none.' },
      ca_path: { type: 'string', description: 'PEM CA bundle on the host to check the server certificate with.' },
      dest: { type: 'string', minLength: 1, description: 'Write the body to this file (or into this directory) on the host; the task then reports a change.' },
      creates: { type: 'string', description: 'A path on the host: when it exists, no request is made.' },
      removes: { type: 'string', description: 'A path on the host: when it does not exist, no request is made.' },
      ...attrProperties,
    },
  },
  async plan(args, ctx) {
    statusCodes(args.status_code);
    if (ctx.check) return { changed: false, skipped: 'remote module (uri) does not support check mode' };
    const skip = await notRun(args, ctx);
    if (skip) return { changed: false, result: skip, state: { notRun: skip } };
    // Writing dest is the one change uri reports; the request itself is made by apply().
    return { changed: args.dest !== undefined, state: {} };
  },
  async apply(args, ctx, plan) {
    if (plan.state?.notRun) return { changed: false, result: plan.state.notRun };
    return request(args, ctx);
  },
});
