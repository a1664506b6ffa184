import { defineModule, ModuleError, type ApplyResult, type ResultData } from '../lib/module/kit.js';
import { pathInfo, runHttp, urlParams, urlProperties, type HttpAnswer, type UrlArgs } from '../lib/module/net/http.js';
import { attrProperties, parseMode } from '../lib/module/files/put-file.js';

interface Args extends UrlArgs {
  dest: string;
  checksum?: string;
  force: boolean;
  backup: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  username?: string;
  password?: string;
}

/** Ansible's `<algorithm>:<hex>` checksum, its non-word characters dropped and lowercased as Ansible does. */
function parseChecksum(checksum: string | undefined): { algorithm?: string; value?: string } {
  if (!checksum) return {};
  const colon = checksum.indexOf(':');
  if (colon < 0) throw new ModuleError('The checksum parameter has to be in format <algorithm>:<checksum>');
  const algorithm = checksum.slice(0, colon);
  const raw = checksum.slice(colon + 1);
  if (/^(https?|ftp|file):/.test(raw)) throw new ModuleError('a checksum read from a URL is not supported: give the checksum itself (<algorithm>:<hex>)');
  const value = raw.replace(/\W+/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(value)) throw new ModuleError('The checksum format is invalid');
  return { algorithm, value };
}

function params(args: Args, op: string): Record<string, unknown> {
  const { algorithm, value } = parseChecksum(args.checksum);
  return {
    ...urlParams({ ...args, url_username: args.url_username ?? args.username, url_password: args.url_password ?? args.password }),
    op,
    dest: args.dest,
    force: args.force,
    backup: args.backup,
    checksum_algorithm: algorithm ?? null,
    checksum: value ?? null,
    mode: parseMode(args.mode) ?? null,
    owner: args.owner ?? null,
    group: args.group ?? null,
  };
}

/** The registered result, with Ansible's keys. */
function result(answer: HttpAnswer, started: number): ResultData {
  const keys = ['dest', 'url', 'checksum_dest', 'checksum_src', 'status_code', 'md5sum', 'backup_file', 'response'];
  const out: ResultData = { elapsed: Math.floor((Date.now() - started) / 1000) };
  for (const k of keys) if (k in answer) out[k] = answer[k];
  return { ...out, ...pathInfo(answer) };
}

async function run(args: Args, ctx: { host: Parameters<typeof runHttp>[0]; vars: Readonly<Record<string, unknown>> }, op: string): Promise<{ answer: HttpAnswer; result: ResultData }> {
  const started = Date.now();
  const answer = await runHttp(ctx.host, ctx.vars, params(args, op), 'get_url');
  return { answer, result: result(answer, started) };
}

function applied(answer: HttpAnswer, res: ResultData): ApplyResult {
  const msg = typeof answer.msg === 'string' ? answer.msg : undefined;
  if (answer.failed) return { changed: false, failed: answer.failed, result: res };
  return { changed: !!answer.changed, ...(msg !== undefined ? { msg } : {}), result: res };
}

export default defineModule<Args>({
  name: 'get_url',
  description:
    "Ansible's get_url: downloads a URL to a file on the host, from the host (Python 3 there, as Ansible). An existing file is replaced only when the download's bytes differ; with `force: false` and a matching `checksum` nothing is downloaded, without a checksum the server is asked with If-Modified-Since. `--check` downloads to compare without writing, so it predicts the run exactly; a checksum that does not match fails before the file is touched.",
  examples: [
    '- get_url:\n    url: https://example.com/etcd-v3.5.tar.gz\n    dest: /opt/etcd.tar.gz\n    checksum: sha256:5d2bd6a7d3c2e1b2a4c...\n    mode: "0644"',
    '- get_url:\n    url: "{{ repo }}/ca.crt"\n    dest: /etc/pki/ca-trust/source/anchors/\n    headers: { Authorization: "Bearer {{ token }}" }\n    force: true',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'dest'],
    properties: {
      ...urlProperties,
      timeout: { type: 'integer', minimum: 1, default: 10, description: 'Seconds the request may take.' },
      username: { type: 'string', description: 'Alias of url_username.' },
      password: { type: 'string', description: 'Alias of url_password.' },
      dest: { type: 'string', minLength: 1, description: 'The file, or a directory (the file name then comes from Content-Disposition or the URL).' },
      checksum: { type: 'string', description: '<algorithm>:<hex> (sha256:..., sha1:..., md5:...): the download must match it.' },
      force: { type: 'boolean', default: false, description: 'true: download every time and replace the file when the bytes differ.' },
      backup: { type: 'boolean', default: false, description: 'Keep the old file as <dest>.<pid>.<date>~ when it is replaced.' },
      ...attrProperties,
    },
  },
  async plan(args, ctx) {
    const { answer, result: res } = await run(args, ctx, 'get_url_plan');
    const msg = typeof answer.msg === 'string' ? answer.msg : undefined;
    if (answer.failed) return { changed: false, failed: answer.failed, result: res };
    return { changed: !!answer.changed, ...(msg !== undefined ? { msg } : {}), result: res };
  },
  async apply(args, ctx) {
    const { answer, result: res } = await run(args, ctx, 'get_url_apply');
    return applied(answer, res);
  },
  // One round trip: the host looks, downloads and replaces in one program, as Ansible's module does.
  async direct(args, ctx) {
    const { answer, result: res } = await run(args, ctx, 'get_url_apply');
    return applied(answer, res);
  },
});
