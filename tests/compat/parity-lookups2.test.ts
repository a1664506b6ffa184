/**
 * Lookups, with_ loops and Jinja tests that ansible-core's own integration
 * targets use (lookup_lines, lookup_ini, lookup_csvfile, lookup_varnames, test_mathstuff, test_uri, test_files,
 * test_core), against the real ansible-playbook 2.14: the same playbook runs
 * through both tools; exit code, recap, banners, host lines and debug output
 * must match.
 */
import t, { type Test } from 'tap';
import { buildCli, bothOutputs, parseSections, perHost, removeBuild, runParityCase, sameRecapAndExit, type ParityRun } from './helpers.js';

let cli = '';

t.before(() => {
  cli = buildCli('parity-lookups2');
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** A failure's message without what tsplay adds after Ansible's: where it happened and what to do. */
function core(text: string): string {
  return text.replace(/ \(in \/[^)]*\)\..*?"\}$/gm, '"}');
}

/** Asserts the two tools printed the same thing: recap, exit code, every banner and host line, every debug output in order. */
function sameAsAnsible(t: Test, o: ParityRun): void {
  const detail = bothOutputs(o);
  sameRecapAndExit(t, o, detail);
  const sections = (out: string) => parseSections(out).map((x) => ({ banner: x.banner, lines: x.lines.map(core) }));
  t.same(sections(o.tsplay.stdout), sections(o.ansible.stdout), 'same banners and host lines', { detail });
  const debug = (s: string) => perHost(s, /^ok: \[([^\]]+)\].*=> \{\n([\s\S]*?)\n\}$/gm);
  t.same(debug(o.tsplay.stdout), debug(o.ansible.stdout), 'same debug output, in order', { detail });
  t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
}

t.test('with_<lookup> works for any lookup, its items stay data', async (t) => {
  const o = await runParityCase(cli, { playbook: 'lookups2-with.yml', inventory: 'inventories/one.ini' });
  sameAsAnsible(t, o);
  t.match(o.tsplay.stdout, /ok: \[solo\] => \(item=two \{\{ x \}\}\)/, 'with_lines gives one item a line, text kept as written');
  t.match(o.tsplay.stdout, /"kept": \[\n\s+"\{\{ not_rendered \}\}"\n\s+\]/, "a command's '{{ }}' stays text through set_fact");
  t.notMatch(o.tsplay.stderr, /WARNING/, 'no warning: a with_ loop renders its terms once, as Ansible does');
});

t.test('set, nan, uri/url/urn, file, truthy/falsy and version tests answer as in Ansible', async (t) => {
  const o = await runParityCase(cli, { playbook: 'lookups2-tests.yml', inventory: 'inventories/one.ini' });
  sameAsAnsible(t, o);
  t.match(o.tsplay.stdout, /TASK \[file tests, on the controller\]/, 'the file tests ran');
});

t.test('ini, csvfile and varnames read as in Ansible, their failures with its messages', async (t) => {
  const o = await runParityCase(cli, { playbook: 'lookups2-files.yml', inventory: 'inventories/one.ini' });
  sameAsAnsible(t, o);
  t.match(o.tsplay.stdout, /"first line\\nsecond line\\n\\nafter a blank"/, "an ini value's continuation lines are kept");
  t.match(o.tsplay.stdout, /"msg": "No section 'nope' in lookups2\/site.ini"\}/, "a missing section names the file, in Ansible's words alone (a rescue may compare them)");
  t.match(o.tsplay.stdout, /"say \\"hi\\""/, 'CSV quotes read as Python reads them');
});

t.test('unvault decrypts with the run\'s vault password; without one it fails as in Ansible', async (t) => {
  const withPassword = await runParityCase(cli, { playbook: 'lookups2-unvault.yml', inventory: 'inventories/one.ini', args: ['--vault-password-file', 'playbooks/files/lookups2/vault-pass.txt'] });
  sameAsAnsible(t, withPassword);
  t.match(withPassword.tsplay.stdout, /"msg": \[\n\s+"21",\n\s+"[0-9a-f]{40}",\n\s+true,\n\s+"plain text\\n"/, 'the decrypted text; a plain file as it is, its newline kept');
  t.notMatch(withPassword.tsplay.stdout, /etcd-root-credential/, 'the secret never printed');
  const without = await runParityCase(cli, { playbook: 'lookups2-unvault.yml', inventory: 'inventories/one.ini' });
  sameRecapAndExit(t, without, bothOutputs(without));
  const cause = (out: string) => /must be specified to decrypt (\S+?)[.(\s]/.exec(out)?.[1];
  t.ok(cause(without.tsplay.stdout), 'tsplay says a vault password is needed', { detail: without.tsplay.stdout });
  t.equal(cause(without.tsplay.stdout), cause(without.ansible.stdout), 'for the same file');
});
