/** Ansible's one-line `key=value` arguments, as a playbook author writes them. */
import t from 'tap';
import { parseKeyValues } from '../../lib/playbook/free-form.js';

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
