/**
 * The local connection shares the prompt-aware become logic with SSH.
 */
import t from 'tap';
import { LocalConnection } from '../../lib/connection/local.js';
import { BecomeError } from '../../lib/connection/become.js';
import { shellQuote } from '../../lib/connection/quote.js';
import { ensureTestUsers, TEST_USER } from '../helpers/sshd.js';

ensureTestUsers();
const local = new LocalConnection('localhost');

// Runs as root (as CI does): sudo -n to another user needs no password.
t.test('become another user locally', async (t) => {
  t.equal((await local.exec('id -un', { become: { user: TEST_USER } })).stdout, `${TEST_USER}\n`);
  const r = await local.exec('cat', { become: { user: TEST_USER, password: 'not-asked-for' }, stdin: 'only this' });
  t.equal(r.stdout, 'only this', 'a password sudo does not ask for never reaches stdin');
  const env = await local.exec('printf %s "$X"; pwd', { become: { user: TEST_USER }, env: { X: `a'b"c$(d)` }, cwd: '/tmp' });
  t.equal(env.stdout, `a'b"c$(d)/tmp\n`, 'env and cwd apply inside the become shell');
  const s = `'; echo pwned; '`;
  t.equal((await local.exec(`printf %s ${shellQuote(s)}`, { become: { user: TEST_USER } })).stdout, s);
  const err = await local.exec('true', { become: { user: 'no-such-user-tsplay' } }).catch((e) => e);
  t.ok(err instanceof BecomeError, 'sudo failing before the command is a BecomeError');
  t.match(err.message, /could not become 'no-such-user-tsplay'/);
});
