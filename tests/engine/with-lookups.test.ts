/** The with_<lookup> loops' items, as ansible-core 2.14's lookups give them. */
import t from 'tap';
import { runLookup } from '../../lib/template/lookups/with-lookups.js';

const ctx = { searchPath: ['/nonexistent'], render: (s: string) => s };

t.test('with_sequence forms', async (t) => {
  t.same(runLookup('sequence', ['5'], ctx), ['1', '2', '3', '4', '5']);
  t.same(runLookup('sequence', ['4:host%02d'], ctx), ['host01', 'host02', 'host03', 'host04']);
  t.same(runLookup('sequence', ['start=5 end=11 stride=2 format=0x%02x'], ctx), ['0x05', '0x07', '0x09', '0x0b']);
  t.same(runLookup('sequence', ['start=0x0f00 count=4 format=%04x'], ctx), ['0f00', '0f01', '0f02', '0f03']);
  t.same(runLookup('sequence', ['start=10 end=6 stride=-2'], ctx), ['10', '8', '6']);
  t.same(runLookup('sequence', ['count=0'], ctx), []);
  t.throws(() => runLookup('sequence', ['start=1'], ctx), /must specify count or end in with_sequence/);
  t.throws(() => runLookup('sequence', ['start=5 end=1'], ctx), /to count backwards make stride negative/);
  t.throws(() => runLookup('sequence', ['end=3 bogus=1'], ctx), /unrecognized arguments to with_sequence/);
});

t.test('with_subelements takes the list out of item.0 and can skip a missing key', async (t) => {
  const users = [{ name: 'a', keys: [1, 2] }, { name: 'b' }];
  t.same(runLookup('subelements', [users, 'keys', { skip_missing: true }], ctx), [
    [{ name: 'a' }, 1],
    [{ name: 'a' }, 2],
  ]);
  t.same(users[0].keys, [1, 2], 'the variable itself is untouched');
  t.throws(() => runLookup('subelements', [users, 'keys'], ctx), /could not find 'keys' key in iterated item/);
});

t.test('with_together pads, with_nested multiplies, with_indexed_items numbers', async (t) => {
  t.same(runLookup('together', [['a', 'b'], [1]], ctx), [['a', 1], ['b', null]]);
  t.same(runLookup('nested', [['a', 'b'], [1, 2]], ctx), [['a', 1], ['a', 2], ['b', 1], ['b', 2]]);
  t.same(runLookup('indexed_items', ['x', 'y'], ctx), [[0, 'x'], [1, 'y']]);
  t.same(runLookup('items', [['x', 'y'], 'z', [['deep']]], ctx), ['x', 'y', 'z', ['deep']]);
  t.same(runLookup('dict', { a: 1 }, ctx), [{ key: 'a', value: 1 }]);
  t.throws(() => runLookup('dict', ['not a dict'], ctx), /with_dict expects a dict/);
});

t.test('a lookup ansible-core does not ship fails as in Ansible', async (t) => {
  t.throws(() => runLookup('flattened', [[1]], ctx), /Unexpected failure in finding the lookup named 'flattened' in the available lookup plugins/);
  t.throws(() => runLookup('first_found', ['nope.conf'], ctx), /No file was found when using first_found/);
  t.same(runLookup('first_found', [{ files: ['nope.conf'], skip: true }], ctx), []);
});
