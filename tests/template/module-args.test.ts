/**
 * Module arguments are converted to the type their schema declares, as
 * Ansible's argument specs convert them (lib/schema/ajv.ts): templates
 * render to text, so "8001" must reach an integer argument as 8001.
 */
import t from 'tap';
import { compileArgsSchema, describeSchemaErrors } from '../../lib/schema/ajv.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer' },
    ratio: { type: 'number' },
    enabled: { type: 'boolean', default: false },
    name: { type: 'string' },
    names: { type: 'array', items: { type: 'string' } },
    opts: { type: 'object' },
    level: { type: 'integer', default: 3 },
    that: { anyOf: [{ type: ['string', 'boolean'] }, { type: 'array', items: { type: ['string', 'boolean'] } }] },
    raw: {},
  },
};

function check(args: Record<string, unknown>): { ok: boolean; args: Record<string, unknown>; errors: string[] } {
  const validate = compileArgsSchema(schema);
  const copy = structuredClone(args);
  const ok = validate(copy) as boolean;
  return { ok, args: copy, errors: describeSchemaErrors(validate.errors).map((p) => p.message) };
}

t.test('values convert as Ansible converts them', async (t) => {
  const r = check({ port: '8001', ratio: ' 2.5 ', enabled: 'yes', name: 5, names: 'a,b', opts: 'k=v other="x y"', raw: '5' });
  t.ok(r.ok, r.errors.join('; '));
  t.strictSame(r.args, { port: 8001, ratio: 2.5, enabled: true, name: '5', names: ['a', 'b'], opts: { k: 'v', other: 'x y' }, raw: '5', level: 3 });
  for (const [v, want] of [['on', true], ['Y', true], ['1', true], ['t', true], [1, true], ['off', false], ['No', false], ['0', false], [0, false], ['false', false]] as const) {
    t.equal(check({ enabled: v }).args.enabled, want, `boolean from ${JSON.stringify(v)}`);
  }
  t.equal(check({ port: ' +42 ' }).args.port, 42);
  t.equal(check({ port: '1_000' }).args.port, 1000);
  t.equal(check({ port: true }).args.port, 1);
  t.equal(check({ name: true }).args.name, 'True', "Python's str(True)");
  t.equal(check({ name: 2.5 }).args.name, '2.5');
  t.strictSame(check({ names: 7 }).args.names, ['7']);
  t.strictSame(check({ opts: '{"a": 1}' }).args.opts, { a: 1 });
  t.strictSame(check({ opts: "{'a': True}" }).args.opts, { a: true });
  t.strictSame(check({ that: 'x == 1' }).args.that, 'x == 1');
  t.strictSame(check({ that: ['a', 5] }).args.that, ['a', '5'], 'inside anyOf branches');
  t.strictSame(check({ that: 5 }).args.that, '5');
  t.equal(check({ level: null }).args.level, 3, 'null is "not given": the default applies');
});

t.test('a value that cannot be converted names the argument, not the value', async (t) => {
  for (const [k, v, want] of [
    ['port', 'lots', /argument 'port' must be an integer: the str given cannot be converted/],
    ['port', '8.5', /'port' must be an integer/],
    ['port', 2.5, /'port' must be an integer: the float given/],
    ['ratio', 'fast', /'ratio' must be a number/],
    ['enabled', 'maybe', /'enabled' must be a boolean \(yes\/no, true\/false, on\/off, 1\/0\): the str given/],
    ['enabled', 2, /'enabled' must be a boolean/],
    ['names', { a: 1 }, /'names' must be a list: the dict given/],
    ['opts', 'no-equals-sign', /'opts' must be a dict/],
  ] as const) {
    const r = check({ [k]: v });
    t.notOk(r.ok, `${k}=${JSON.stringify(v)} fails`);
    t.match(r.errors.join('; '), want);
    if (typeof v === 'string') t.notMatch(r.errors.join('; '), v, 'the value is not echoed (it may be a secret)');
  }
  t.match(check({ colour: 'red' }).errors.join(), /unsupported argument 'colour'/, 'other schema errors still come from ajv');
});
