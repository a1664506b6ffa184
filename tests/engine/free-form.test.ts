/** Ansible's one-line `key=value` arguments, as a playbook author writes them. */
import t from 'tap';
import { parseKeyValues } from '../../lib/util/free-form.js';

t.test('templates with spaces stay one value', async (t) => {
  t.same(parseKeyValues("msg={{ nope }}").args, { msg: '{{ nope }}' });
  t.same(parseKeyValues("msg={{ groups.etcd | join(', ') }} verbosity=1").args, { msg: "{{ groups.etcd | join(', ') }}", verbosity: '1' });
  t.same(parseKeyValues('msg="hello {{ who }} and {{ them }}"').args, { msg: 'hello {{ who }} and {{ them }}' });
});

t.test('quotes, and a free form that keeps unknown k=v words', async (t) => {
  t.same(parseKeyValues('msg="a b=c" x=\'1 2\'').args, { msg: 'a b=c', x: '1 2' });
  const cmd = parseKeyValues('etcdctl --endpoints=https://a:2379 member list chdir=/tmp', ['chdir', 'creates']);
  t.same(cmd.args, { chdir: '/tmp' });
  t.equal(cmd.rest, 'etcdctl --endpoints=https://a:2379 member list');
  t.equal(parseKeyValues('echo {{ a }} b', ['chdir']).rest, 'echo {{ a }} b');
});

t.test('a multi-line free form keeps its newlines and spacing, as Ansible joins it back', async (t) => {
  const keys = ['chdir', 'creates'];
  t.equal(parseKeyValues('set -e\necho first\nfalse\n', keys).rest, 'set -e\necho first\nfalse\n');
  t.equal(parseKeyValues('echo a   b\n  indented\n', keys).rest, 'echo a   b\n  indented\n');
  const opt = parseKeyValues('echo one\necho two chdir=/tmp\n', keys);
  t.same(opt.args, { chdir: '/tmp' });
  t.equal(opt.rest, 'echo one\necho two', 'the newline went with chdir=/tmp and was stripped from it, as in Ansible');
  t.equal(parseKeyValues(`printf '%s' "a\nb" c\n`, keys).rest, `printf '%s' "a\nb" c\n`, 'a quote spans lines');
  t.equal(parseKeyValues('echo cont \\\n  inued\n', keys).rest, 'echo cont  inued\n', 'a lone backslash joins two lines');
  t.equal(parseKeyValues('echo {{ a |\n  upper }}\n', keys).rest, 'echo {{ a |\n  upper }}\n');
});

t.test('k=v values decode escapes; unknown x=y words stay in a free form', async (t) => {
  t.same(parseKeyValues('msg="a\\tb\\"c"').args, { msg: 'a\tb"c' });
  const cmd = parseKeyValues('env FOO=bar printenv FOO creates=/x', ['creates']);
  t.same(cmd.args, { creates: '/x' });
  t.equal(cmd.rest, 'env FOO=bar printenv FOO');
});

t.test('an unbalanced quote or template is a clear error', async (t) => {
  t.throws(() => parseKeyValues('echo "open'), /unbalanced jinja2 block or quotes/);
  t.throws(() => parseKeyValues('msg={{ x'), /unbalanced jinja2 block or quotes/);
});
