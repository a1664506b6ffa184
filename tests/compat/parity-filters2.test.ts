/**
 * Filters and functions ansible-core's integration targets use (filter_core,
 * filter_mathstuff, filter_urls, filter_urlsplit) that tsplay lacked, against
 * the real ansible-playbook 2.14: password_hash (sha512, sha256, md5 crypt
 * with a salt and rounds, a random salt, bad algorithm, salt and size),
 * now(), strftime, human_to_bytes, human_readable, urlsplit, urlencode,
 * urldecode, to_uuid, comment and from_yaml_all give the same values; the
 * failures fail the same tasks, with Ansible's message first.
 */
import t from 'tap';
import { bothOutputs, buildCli, parseSections, perHost, runParityCase, sameRecapAndExit, type ParityRun } from './helpers.js';

let o: ParityRun;

t.before(async () => {
  o = await runParityCase(buildCli('parity-filters2'), { playbook: 'filters2.yml', inventory: 'inventories/one.ini' });
});

/** `ok: [h] => {...}` blocks per host, in order. */
function okMessages(stdout: string): Record<string, string[]> {
  return perHost(stdout, /^ok: \[([^\]]+)\] => \{\n([\s\S]*?)\n\}$/gm);
}

/** The first sentence of each failure's msg, per host, in order (tsplay adds where and what to do). */
function failures(stdout: string): Record<string, string[]> {
  return perHost(stdout, /^fatal: \[([^\]]+)\]: FAILED! => \{"msg": "(.*?)(?:\. |"\}$| \(in )/gm);
}

t.test('the same values, and the same tasks failing with the same message', async (t) => {
  const detail = bothOutputs(o);
  sameRecapAndExit(t, o, detail);
  t.same(
    parseSections(o.tsplay.stdout).map((s) => s.banner),
    parseSections(o.ansible.stdout).map((s) => s.banner),
    'the same tasks',
  );
  const ours = okMessages(o.tsplay.stdout);
  t.same(ours, okMessages(o.ansible.stdout), 'every value is the same', { detail });
  t.equal(ours.solo?.length, 8, 'eight tasks printed values');
  t.same(failures(o.tsplay.stdout), failures(o.ansible.stdout), "each failure starts with Ansible's message", { detail });
  t.equal(failures(o.tsplay.stdout).solo?.length, 4, 'four tasks failed (and were ignored)');
  t.notMatch(o.tsplay.stdout + o.tsplay.stderr, /^\s+at /m, 'no stack trace');
});
