import type { Table } from './index.js';

// Keys in a file of the scratch directory (path), for the login user.
const A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlicealicealicealicealicealicealicealice alice@laptop';
const B = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQbobbobbobbobbobbobbobbobbobbob bob@desk';
const C = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICarolcarolcarolcarolcarolcarolcarolcarol carol@ci';

const table: Table = ({ user }) => [
  {
    name: 'a key added to a new file, 0600',
    args: { user, key: A, path: '{{ test_dir }}/ssh/authorized_keys' },
    plan: { changed: true },
    diff: [{ path: 'ssh/authorized_keys', before: '', after: `${A}\n` }],
    expect: { 'ssh/authorized_keys': { content: `${A}\n`, mode: 0o600, owner: user } },
    result: { user, keyfile: /\/ssh\/authorized_keys$/, exclusive: false, state: 'present' },
  },
  {
    name: 'a key already there: nothing changes',
    files: { keys: `# managed\n${B}\n${A}\n` },
    args: { user, key: A, path: '{{ test_dir }}/keys' },
    plan: { changed: false },
    diff: [],
    expect: { keys: `# managed\n${B}\n${A}\n` },
  },
  {
    name: 'a new key goes after the others, which stay',
    files: { keys: `# managed\n${B}\n` },
    args: { user, key: A, path: '{{ test_dir }}/keys' },
    plan: { changed: true },
    expect: { keys: `# managed\n${B}\n${A}\n` },
  },
  {
    name: 'key_options and comment replace those of the key in place',
    files: { keys: `${A}\n${B}\n` },
    args: { user, key: A, path: '{{ test_dir }}/keys', key_options: 'from="10.0.0.0/8,192.168.0.0/16",no-pty', comment: 'alice' },
    plan: { changed: true },
    expect: { keys: `${B}\nfrom="10.0.0.0/8,192.168.0.0/16",no-pty ${A.split(' ').slice(0, 2).join(' ')} alice\n` },
  },
  {
    name: 'exclusive keeps only the keys given (a known key keeps its place, a new one goes last)',
    files: { keys: `${B}\n${A}\n# old\n` },
    args: { user, key: `${C}\n${A}`, path: '{{ test_dir }}/keys', exclusive: true },
    plan: { changed: true },
    expect: { keys: `${A}\n${C}\n` },
  },
  {
    name: 'state: absent removes the key, other lines stay',
    files: { keys: `${B}\n# note\n${A}\n` },
    args: { user, key: A, path: '{{ test_dir }}/keys', state: 'absent' },
    plan: { changed: true },
    diff: [{ path: 'keys', after: `${B}\n# note\n` }],
    expect: { keys: `${B}\n# note\n` },
  },
  {
    name: 'state: absent of a key that is not there',
    files: { keys: `${B}\n` },
    args: { user, key: A, path: '{{ test_dir }}/keys', state: 'absent' },
    plan: { changed: false },
  },
  { name: 'not a key', args: { user, key: 'hello world', path: '{{ test_dir }}/keys' }, plan: { changed: false, failed: 'invalid key specified: hello world' } },
  { name: 'a user that does not exist', args: { user: 'tsplay-no-such-user', key: A }, plan: { changed: false, failed: /must provide full path to key file in check mode/ }, applied: { changed: false, failed: /Failed to lookup user tsplay-no-such-user/ } },
  { name: "Ansible's validate_certs is refused by name", args: { user, key: A, path: '{{ test_dir }}/keys', validate_certs: false }, plan: { changed: false, failed: /validate_certs/ } },
];
export default table;
