import { HELLO, JSON_BODY, startHttpServer } from '../../helpers/http-server.js';
import type { Table } from './index.js';

// A real HTTP server on 127.0.0.1, which the host (local, the test sshd, a lab host) reaches.
const server = await startHttpServer();

// uri is skipped in check mode, as in Ansible: each case predicts a skip, then says what the run does.
const skipped = { changed: false, skipped: true };

const table: Table = () => [
  {
    name: 'a JSON answer is parsed into json',
    args: { url: `${server.url}/json` },
    plan: skipped,
    applied: { changed: false },
    result: { status: 200, json: JSON_BODY, content_type: 'application/json', redirected: false, url: `${server.url}/json`, msg: /^OK \(\d+ bytes\)$/ },
  },
  {
    name: 'return_content gives the body; headers are lowercased with _',
    args: { url: `${server.url}/echo`, return_content: true, headers: { 'X-Token': 'abc' } },
    plan: skipped,
    applied: { changed: false },
    result: { content: /"token":"abc"/, x_served_by: 'tsplay-test', json: { method: 'GET', agent: 'ansible-httpget', token: 'abc' } },
  },
  {
    name: 'POST with a JSON body, encoded as Python does',
    args: { url: `${server.url}/echo`, method: 'POST', body_format: 'json', body: { server: 'master-2', weight: 0 } },
    plan: skipped,
    applied: { changed: false },
    result: { json: { method: 'POST', body: '{"server": "master-2", "weight": 0}', content_type: 'application/json' } },
  },
  {
    name: 'a form-urlencoded body',
    args: { url: `${server.url}/echo`, method: 'PUT', body_format: 'form-urlencoded', body: { name: 'a b', n: [1, 2] } },
    plan: skipped,
    applied: { changed: false },
    result: { json: { method: 'PUT', body: 'name=a+b&n=1&n=2', content_type: 'application/x-www-form-urlencoded' } },
  },
  {
    name: 'a status not in status_code fails, with the result for until:',
    args: { url: `${server.url}/status/503`, return_content: true },
    plan: skipped,
    applied: { changed: false, failed: /^Status code was 503 and not \[200\]: HTTP Error 503/ },
    result: { status: 503, content: 'status 503\n' },
  },
  {
    name: 'status_code as a list',
    args: { url: `${server.url}/status/404`, status_code: [200, 404] },
    plan: skipped,
    applied: { changed: false },
    result: { status: 404 },
  },
  {
    name: 'a redirect of a GET is followed',
    args: { url: `${server.url}/redirect` },
    plan: skipped,
    applied: { changed: false },
    result: { status: 200, redirected: true, url: `${server.url}/hello.txt` },
  },
  {
    name: 'follow_redirects: none stops at the 302',
    args: { url: `${server.url}/redirect`, follow_redirects: 'none', status_code: 302 },
    plan: skipped,
    applied: { changed: false },
    result: { status: 302, location: `${server.url}/hello.txt` },
  },
  {
    name: 'dest writes the body, a change every time as in Ansible',
    args: { url: `${server.url}/hello.txt`, dest: '{{ test_dir }}/out', mode: '0600' },
    plan: skipped,
    applied: { changed: true },
    expect: { out: { content: HELLO, mode: 0o600 } },
    idempotent: false,
  },
  {
    name: 'creates: an existing path means no request',
    files: { marker: '' },
    args: { url: 'http://127.0.0.1:1/never', creates: '{{ test_dir }}/marker' },
    plan: skipped,
    applied: { changed: false },
    result: { stdout: /^skipped, since '.*marker' exists$/ },
  },
  {
    name: 'removes: a missing path means no request',
    args: { url: 'http://127.0.0.1:1/never', removes: '{{ test_dir }}/marker' },
    plan: skipped,
    applied: { changed: false },
    result: { stdout: /^skipped, since '.*marker' does not exist$/ },
  },
  {
    name: 'a refused connection fails, naming it',
    args: { url: 'http://127.0.0.1:1/x' },
    plan: skipped,
    applied: { changed: false, failed: /Request failed: <urlopen error .*refused/ },
    result: { status: -1 },
  },
  {
    name: 'a method in lowercase is refused',
    args: { url: `${server.url}/echo`, method: 'post' },
    plan: skipped,
    applied: { changed: false, failed: /needs to be a single word in uppercase/ },
  },
];
export default table;
