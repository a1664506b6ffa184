/**
 * A real HTTP server on 127.0.0.1 (a free port) for get_url and uri: the
 * module's program on the host requests it as it would any server. The lab
 * hosts share this machine's network, so they reach it at the same address.
 * The server does not keep the process alive.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HELLO = 'hello from tsplay\n';
export const AUTH = { user: 'deploy', password: 's3cret-pw' };
export const JSON_BODY = { name: 'master-0', healthy: true, members: [1, 2, 3] };

export interface TestServer {
  url: string;
  /** Requests seen so far: method, path and headers. */
  requests: Array<{ method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  res.writeHead(status, { 'Content-Length': String(buf.length), 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(buf);
}

function route(req: IncomingMessage, body: string, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/hello.txt') return send(res, 200, HELLO);
  if (path === '/other.txt') return send(res, 200, 'another file\n');
  if (path === '/named') return send(res, 200, 'named by the server\n', { 'Content-Disposition': 'attachment; filename="from-header.txt"' });
  if (path === '/not-modified') {
    if (req.headers['if-modified-since']) return send(res, 304, '');
    return send(res, 200, 'fresh\n');
  }
  if (path === '/auth.txt') {
    const want = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')}`;
    if (req.headers.authorization !== want) return send(res, 401, 'who are you?\n', { 'WWW-Authenticate': 'Basic realm="tsplay"' });
    return send(res, 200, 'secret content\n');
  }
  if (path === '/json') return send(res, 200, JSON.stringify(JSON_BODY), { 'Content-Type': 'application/json' });
  if (path === '/echo') {
    const echo = { method: req.method, body, content_type: req.headers['content-type'] ?? null, agent: req.headers['user-agent'] ?? null, token: req.headers['x-token'] ?? null };
    return send(res, 200, JSON.stringify(echo), { 'Content-Type': 'application/json', 'X-Served-By': 'tsplay-test' });
  }
  if (path === '/redirect') return send(res, 302, '', { Location: '/hello.txt' });
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status) return send(res, Number(status[1]), `status ${status[1]}\n`);
  send(res, 404, 'not found\n');
}

export async function startHttpServer(): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      route(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
