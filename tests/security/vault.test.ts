/**
 * Ansible Vault as ansible-vault writes it: values and files encrypted by the
 * real ansible-vault in each test, opened with --vault-password-file, a
 * password script, --vault-id and --ask-vault-pass; without a password, or
 * with a wrong one, Ansible's messages and exit codes. The decrypted values
 * never reach the output.
 */
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { ansibleEnv } from '../compat/helpers.js';
import { both, buildCli, LOCAL_INVENTORY, parseRecap, parseSections, removeBuild, scratch, tsplayCli } from './helpers.js';

const cli = buildCli('security-vault');
t.teardown(() => removeBuild(cli));

const s = scratch('tsplay-sec-vault-');
s.write('hosts', LOCAL_INVENTORY);
s.write('pw', 'correct horse\n');
s.write('wrong', 'wrong horse\n');
s.write('pw2', 'second password\n');
s.write('pw-script', '#!/bin/sh\necho "correct horse"\n');
chmodSync(`${s.dir}/pw-script`, 0o755);

function vault(args: string[]): string {
  return execFileSync('ansible-vault', args, { cwd: s.dir, env: ansibleEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const indent = (text: string, n: number) => text.trimEnd().replace(/^/gm, ' '.repeat(n));

// 1.1 (no vault id) and 1.2 (with one), exactly as ansible-vault writes them.
const v11 = vault(['encrypt_string', '--vault-password-file', 'pw', 'VALUESECRET11', '--name', 'v11']);
const v12 = vault(['encrypt_string', '--vault-id', 'prod@pw2', 'VALUESECRET12', '--name', 'v12']);
s.write('secret-vars.yml', 'filevar: FILESECRETVALUE\nfilelist: [ITEMSECRETVALUE]\n');
vault(['encrypt', '--vault-password-file', 'pw', 'secret-vars.yml']);
s.write('extra.yml', 'extra_secret: EXTRASECRETVALUE\n');
vault(['encrypt', '--vault-password-file', 'pw', 'extra.yml']);

s.write(
  'values.yml',
  `- hosts: localhost
  gather_facts: no
  vars:
${indent(v11, 4)}
    unused: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      0000
  tasks:
    - debug: msg="before"
    - debug: msg="{{ v11 | length }} {{ v11 == 'VALUESECRET11' }}"
    - debug: msg="{{ v11 }}"
`,
);
s.write(
  'files.yml',
  `- hosts: localhost
  gather_facts: no
  vars_files: [secret-vars.yml]
  tasks:
    - debug: msg="{{ filevar | length }} {{ filelist | length }} {{ extra_secret is defined }}"
    - debug: msg="{{ filevar }} {{ filelist }} {{ extra_secret | default('') }}"
`,
);

t.test('a !vault value is decrypted with --vault-password-file, and never printed', async (t) => {
  for (const flags of [['--vault-password-file', 'pw'], ['--vault-password-file', 'pw-script'], ['--vault-id', 'pw'], ['--vault-password-file', 'wrong', '--vault-id', 'other@pw']]) {
    const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'values.yml', ...flags, '-vvv'], s.dir);
    const name = flags.join(' ');
    t.equal(r.code, 0, `${name}: the run succeeds`);
    t.match(r.stdout, '"msg": "13 True"', `${name}: the value is the plaintext`);
    t.notMatch(r.stdout + r.stderr, /VALUESECRET|correct horse/, `${name}: neither value nor password in the output`);
    t.match(r.stdout, '"msg": "********"', `${name}: the value printed is masked`);
  }
});

t.test('without a password, or with a wrong one: the task that reads it fails, as in Ansible', async (t) => {
  for (const flags of [[], ['--vault-password-file', 'wrong']]) {
    const { ansible, tsplay } = await both(cli, s, ['-i', 'hosts', 'values.yml', ...flags]);
    const name = flags.join(' ') || 'no password';
    t.equal(tsplay.code, ansible.code, `${name}: same exit code`);
    t.equal(tsplay.code, 2, `${name}: a host failed`);
    t.same(parseRecap(tsplay.stdout), parseRecap(ansible.stdout), `${name}: same recap`);
    const msg = flags.length ? 'Decryption failed (no vault secrets were found that could decrypt)' : 'Attempting to decrypt but no vault secrets found';
    t.match(ansible.stdout, `"msg": "${msg}"`);
    t.match(tsplay.stdout, `"msg": "${msg} (in `, `${name}: Ansible's message`);
    t.notMatch(tsplay.stdout, '$ANSIBLE_VAULT', `${name}: the ciphertext is never used as the value`);
  }
});

t.test('a 1.2 value with a vault id opens with that id', async (t) => {
  s.write(
    'v12.yml',
    `- hosts: localhost
  gather_facts: no
  vars:
${indent(v12, 4)}
  tasks:
    - debug: msg="length {{ v12 | length }}"
`,
  );
  t.match(v12, '$ANSIBLE_VAULT;1.2;AES256;prod');
  for (const flags of [['--vault-id', 'prod@pw2'], ['--vault-id', 'dev@pw', '--vault-id', 'prod@pw2']]) {
    const { ansible, tsplay } = await both(cli, s, ['-i', 'hosts', 'v12.yml', ...flags]);
    t.equal(tsplay.code, 0, `${flags.join(' ')}: the run succeeds`);
    t.same(parseSections(tsplay.stdout), parseSections(ansible.stdout), 'same output as Ansible');
  }
});

t.test('whole encrypted vars files and -e @file', async (t) => {
  const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'files.yml', '--vault-password-file', 'pw', '-e', '@extra.yml'], s.dir);
  t.equal(r.code, 0, 'the run succeeds');
  t.match(r.stdout, '"msg": "15 1 True"', 'the files were decrypted');
  t.notMatch(r.stdout + r.stderr, /SECRETVALUE/, 'no decrypted value in the output');

  const { ansible, tsplay } = await both(cli, s, ['-i', 'hosts', 'files.yml']);
  t.equal(tsplay.code, ansible.code, 'without a password: the exit code of Ansible');
  t.equal(tsplay.code, 1);
  t.match(ansible.stderr + ansible.stdout, 'Attempting to decrypt but no vault secrets found');
  t.match(tsplay.stderr, 'ERROR! Attempting to decrypt but no vault secrets found', "Ansible's message");
  t.notMatch(tsplay.stderr, /\n\s+at /, 'no stack trace');

  const wrong = await both(cli, s, ['-i', 'hosts', 'files.yml', '--vault-password-file', 'wrong']);
  t.equal(wrong.tsplay.code, wrong.ansible.code, 'a wrong password: the exit code of Ansible');
  t.match(wrong.tsplay.stderr, `Decryption failed (no vault secrets were found that could decrypt) on ${s.dir}/secret-vars.yml`);
});

t.test('an INI inventory encrypted as a whole file is decrypted, as Ansible does', async (t) => {
  s.write('inv-enc', 'enc1 ansible_connection=local marker=INIVAULTSECRET\n[g]\nenc1\n');
  vault(['encrypt', '--vault-password-file', 'pw', 'inv-enc']);
  s.write('inv-play.yml', '- hosts: all\n  gather_facts: no\n  tasks:\n    - debug: msg="{{ marker | length }} {{ group_names }}"\n');
  const { ansible, tsplay } = await both(cli, s, ['-i', 'inv-enc', 'inv-play.yml', '--vault-password-file', 'pw']);
  t.equal(tsplay.code, 0, 'the run succeeds');
  t.match(tsplay.stdout, `"msg": "14 ['g']"`, 'its host, group and variables were read');
  t.same(parseSections(tsplay.stdout), parseSections(ansible.stdout), 'same output as Ansible');
  t.notMatch(tsplay.stdout + tsplay.stderr, /INIVAULTSECRET|ANSIBLE_VAULT;1/, 'neither the value nor the ciphertext in the output');

  // Ansible warns that it cannot parse the source and runs nothing with exit 0; tsplay stops (docs/differences.md).
  const none = await both(cli, s, ['-i', 'inv-enc', 'inv-play.yml']);
  t.match(none.ansible.stderr + none.ansible.stdout, 'Attempting to decrypt but no vault secrets found');
  t.equal(none.tsplay.code, 1, 'without a password: the run stops with exit 1');
  t.match(none.tsplay.stderr, 'Attempting to decrypt but no vault secrets found', "Ansible's words, naming the file");
});

t.test('--ask-vault-pass reads the password', async (t) => {
  const r = spawnSync(process.execPath, [cli, 'run', '-i', 'hosts', 'values.yml', '--ask-vault-pass'], {
    cwd: s.dir,
    input: 'correct horse\n',
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  t.equal(r.status, 0, 'the run succeeds');
  t.match(r.stderr, 'Vault password: ', 'it asked');
  t.match(r.stdout, '"msg": "13 True"');
  t.notMatch(r.stdout + r.stderr, /VALUESECRET|correct horse/);
});

t.test('a missing password file is a clear error', async (t) => {
  const r = await tsplayCli(cli, ['run', '-i', 'hosts', 'values.yml', '--vault-password-file', 'nope'], s.dir);
  t.equal(r.code, 1);
  t.match(r.stderr, `The vault password file ${s.dir}/nope was not found`);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('a !vault become password in a YAML inventory', async (t) => {
  const pw = vault(['encrypt_string', '--vault-password-file', 'pw', 'BECOMEVAULTSECRET']);
  s.write(
    'inventory.yml',
    `all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: /usr/bin/python3
      ansible_become_password: ${indent(pw, 8).trimStart()}
`,
  );
  s.write(
    'become.yml',
    `- hosts: localhost
  gather_facts: no
  tasks:
    - debug: msg="length {{ ansible_become_password | length }}"
    - debug: var=ansible_become_password
`,
  );
  const open = await tsplayCli(cli, ['run', '-i', 'inventory.yml', 'become.yml', '--vault-password-file', 'pw', '-vvv'], s.dir);
  t.equal(open.code, 0, 'with the password: the run succeeds');
  t.match(open.stdout, '"msg": "length 17"', 'the plaintext is the value');
  t.notMatch(open.stdout + open.stderr, 'BECOMEVAULTSECRET', 'and it is never printed');
  const { ansible, tsplay } = await both(cli, s, ['-i', 'inventory.yml', 'become.yml']);
  t.equal(tsplay.code, ansible.code, 'without: same exit code as Ansible');
  t.same(parseRecap(tsplay.stdout), parseRecap(ansible.stdout), 'without: same recap');
  t.match(tsplay.stdout, 'Attempting to decrypt but no vault secrets found');
  t.notMatch(tsplay.stdout, '$ANSIBLE_VAULT', 'the ciphertext is never the password');
});

t.test('tsplay inventory --list shows a vault value as ansible-inventory does, without a password', async (t) => {
  const r = await tsplayCli(cli, ['inventory', '-i', 'inventory.yml', '--list'], s.dir);
  t.equal(r.code, 0, 'it lists');
  const value = (JSON.parse(r.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> } })._meta.hostvars.localhost.ansible_become_password as { __ansible_vault: string };
  t.match(value.__ansible_vault, /^\$ANSIBLE_VAULT;1\.1;AES256\n[0-9a-f]+/, 'the vault text under __ansible_vault');
});
