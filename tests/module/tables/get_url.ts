import { createHash } from 'node:crypto';
import { AUTH, HELLO, startHttpServer } from '../../helpers/http-server.js';
import type { Table } from './index.js';

// A real HTTP server on 127.0.0.1, which the host (local, the test sshd, a lab host) reaches.
const server = await startHttpServer();
const sha = (alg: string, s: string) => createHash(alg).update(s).digest('hex');

const table: Table = () => {
  const url = `${server.url}/hello.txt`;
  return [
    {
      name: 'downloads a new file with a mode',
      args: { url, dest: '{{ test_dir }}/hello.txt', mode: '0640' },
      plan: { changed: true },
      expect: { 'hello.txt': { content: HELLO, mode: 0o640 } },
      result: { checksum_src: sha('sha1', HELLO), checksum_dest: null, md5sum: sha('md5', HELLO), status_code: 200, msg: `OK (${HELLO.length} bytes)`, url, mode: '0640', state: 'file', size: HELLO.length },
    },
    {
      name: 'the same bytes already there: nothing changes',
      files: { 'hello.txt': HELLO },
      args: { url, dest: '{{ test_dir }}/hello.txt', force: true },
      plan: { changed: false },
      expect: { 'hello.txt': HELLO },
      result: { checksum_src: sha('sha1', HELLO), checksum_dest: sha('sha1', HELLO) },
    },
    {
      name: 'other bytes are replaced, keeping the mode, with a backup',
      files: { 'hello.txt': { content: 'old\n', mode: 0o600 } },
      args: { url, dest: '{{ test_dir }}/hello.txt', force: true, backup: true },
      plan: { changed: true },
      expect: { 'hello.txt': { content: HELLO, mode: 0o600 } },
      result: { backup_file: /hello\.txt\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/, checksum_dest: sha('sha1', 'old\n') },
    },
    {
      name: 'force: false asks with If-Modified-Since; a 304 leaves the file alone',
      files: { f: 'old\n' },
      args: { url: `${server.url}/not-modified`, dest: '{{ test_dir }}/f' },
      plan: { changed: false },
      expect: { f: 'old\n' },
      result: { status_code: 304 },
    },
    {
      name: 'a matching checksum and force: false: nothing is downloaded',
      files: { 'hello.txt': HELLO },
      args: { url: `${server.url}/status/500`, dest: '{{ test_dir }}/hello.txt', checksum: `sha256:${sha('sha256', HELLO)}` },
      plan: { changed: false },
      result: { msg: 'file already exists' },
    },
    {
      name: 'a checksum that does not match fails before the file is touched',
      files: { 'hello.txt': 'old\n' },
      args: { url, dest: '{{ test_dir }}/hello.txt', checksum: `sha256:${'0'.repeat(64)}` },
      plan: { changed: false, failed: /The checksum for .*hello\.txt did not match 0+; it was [0-9a-f]{64}\./ },
      expect: { 'hello.txt': 'old\n' },
    },
    {
      name: 'a checksum that matches the download',
      args: { url, dest: '{{ test_dir }}/hello.txt', checksum: `md5:${sha('md5', HELLO).toUpperCase()}` },
      plan: { changed: true },
      expect: { 'hello.txt': HELLO },
    },
    {
      name: 'a directory as dest: the name comes from Content-Disposition',
      setup: 'mkdir d',
      args: { url: `${server.url}/named`, dest: '{{ test_dir }}/d' },
      plan: { changed: true },
      expect: { 'd/from-header.txt': 'named by the server\n' },
      result: { dest: /\/d\/from-header\.txt$/ },
    },
    {
      name: 'a directory as dest: else from the URL',
      setup: 'mkdir d',
      args: { url, dest: '{{ test_dir }}/d/' },
      plan: { changed: true },
      expect: { 'd/hello.txt': HELLO },
    },
    {
      name: 'only the mode differs',
      files: { 'hello.txt': { content: HELLO, mode: 0o600 } },
      args: { url, dest: '{{ test_dir }}/hello.txt', mode: '0644', force: true },
      plan: { changed: true },
      expect: { 'hello.txt': { content: HELLO, mode: 0o644 } },
    },
    {
      name: 'basic authentication after the 401 challenge',
      args: { url: `${server.url}/auth.txt`, dest: '{{ test_dir }}/a', url_username: AUTH.user, url_password: AUTH.password },
      plan: { changed: true },
      expect: { a: 'secret content\n' },
    },
    {
      name: 'force_basic_auth sends the credentials at once',
      args: { url: `${server.url}/auth.txt`, dest: '{{ test_dir }}/a', username: AUTH.user, password: AUTH.password, force_basic_auth: true },
      plan: { changed: true },
      expect: { a: 'secret content\n' },
    },
    {
      name: 'a 404 fails and writes nothing',
      args: { url: `${server.url}/status/404`, dest: '{{ test_dir }}/f' },
      plan: { changed: false, failed: /^Request failed$/ },
      expect: { f: null },
      result: { status_code: 404 },
    },
    {
      name: 'a refused connection fails, naming it',
      args: { url: 'http://127.0.0.1:1/x', dest: '{{ test_dir }}/f' },
      plan: { changed: false, failed: /Request failed: <urlopen error .*refused/ },
      expect: { f: null },
    },
    {
      name: 'a missing directory fails',
      args: { url, dest: '{{ test_dir }}/no/f' },
      plan: { changed: false, failed: /Destination .*\/no does not exist/ },
    },
    {
      name: 'a checksum without an algorithm is refused',
      args: { url, dest: '{{ test_dir }}/f', checksum: 'abc' },
      plan: { changed: false, failed: /has to be in format <algorithm>:<checksum>/ },
    },
  ];
};
export default table;
