/**
 * The one INI reader (lib/formats/ini.ts) against Python's configparser
 * itself, with the options ansible.cfg, the ini lookup and .repo files set.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { IniSyntaxError, parseIni, writeIni, type IniReadOptions } from '../../lib/formats/ini.js';

interface Outcome {
  sections?: [string, [string, string | null][]][];
  error?: [kind: string, line: number];
}

// configparser with the same options; interpolation off (callers interpolate), values raw.
const PYTHON = `
import configparser, json, sys
out = []
for case in json.load(sys.stdin):
    o = case['opts']
    cp = configparser.ConfigParser(interpolation=None, strict=o.get('strict', True), allow_no_value=o.get('allowNoValue', False),
        empty_lines_in_values=o.get('emptyLinesInValues', True), inline_comment_prefixes=tuple(o.get('inlineCommentPrefixes', ())))
    if o.get('caseSensitive'):
        cp.optionxform = str
    try:
        cp.read_string(case['text'])
        out.append({'sections': [[s, [[k, v] for k, v in cp.items(s, raw=True)]] for s in cp.sections()]})
    except configparser.DuplicateOptionError as e:
        out.append({'error': ['duplicate-option', e.lineno]})
    except configparser.DuplicateSectionError as e:
        out.append({'error': ['duplicate-section', e.lineno]})
    except configparser.MissingSectionHeaderError as e:
        out.append({'error': ['no-section', e.lineno]})
    except configparser.ParsingError as e:
        out.append({'error': ['bad-line', e.errors[0][0]]})
print(json.dumps(out))
`;

function ours(text: string, opts: IniReadOptions): Outcome {
  try {
    return { sections: [...parseIni(text, opts)].map(([name, options]) => [name, [...options].map(([k, v]) => [k, v.value])]) };
  } catch (e) {
    if (e instanceof IniSyntaxError) return { error: [e.kind, e.line] };
    throw e;
  }
}

const TEXTS = [
  '[defaults]\nInventory = hosts ; a comment\nforks: 7\nssh_args = -o A=1\n  -o B=2\nkey=a;b\n',
  '# comment\n; another\n[a]\nx = 1\n\n[b]\ny=2\n',
  '[s]\nk = first\n    second\n\n    after a blank\n# a comment line\n    after a comment\nother = 1\n',
  '[s]\nk =\n  on the next line\n  and the next\n',
  '[s]\n  k = 1\n  j = 2\n',
  '[s]\nk = 1\n\n\n',
  '[s]\nurl = http://x:80/a=b\n',
  '[a]b]\nk = v\n',
  '  [s]\nk = v\n',
  '[s]\nMixed = 1\nmixed = 2\n',
  '[s]\nbare\n',
  '[s]\n= no key\n',
  'k = before any header\n',
  '[s]\nk = 1\n[s]\nj = 2\n',
  '[s]\r\nk = 1\r\n  more\r\nj = 2\r\n',
  '[s]\nk = 1 ;not a comment without the prefix\n',
];
const OPTIONS: IniReadOptions[] = [{}, { inlineCommentPrefixes: [';'], emptyLinesInValues: false }, { caseSensitive: true }, { allowNoValue: true }, { strict: false }];

t.test('reads every text as configparser does, with each set of options', async (t) => {
  const cases = OPTIONS.flatMap((opts) => TEXTS.map((text) => ({ text, opts })));
  const python: Outcome[] = JSON.parse(execFileSync('python3', ['-c', PYTHON], { input: JSON.stringify(cases), encoding: 'utf8' }));
  cases.forEach(({ text, opts }, i) => t.same(ours(text, opts), python[i], `${JSON.stringify(opts)} ${JSON.stringify(text)}`));
});

t.test('the options callers set', async (t) => {
  const at = (text: string, opts: IniReadOptions = {}) => ours(text, opts);
  t.same(at('[s]\nk = a ; note\n', { inlineCommentPrefixes: [';'] }).sections, [['s', [['k', 'a']]]], 'an inline comment after whitespace is dropped');
  t.same(at('[s]\nk = a\n\n  b\n', { emptyLinesInValues: false }).error, ['bad-line', 4], 'after a blank line an indented line is a new option, not more of the value');
  t.same(at('[s]\nk = a\n# c\n  b\n', { emptyLinesInValues: false }).sections, [['s', [['k', 'a\nb']]]], 'a comment line does not end the value');
  t.same(at('[s]\nK = 1\nk = 2\n', { caseSensitive: true }).sections, [['s', [['K', '1'], ['k', '2']]]]);
  t.same(at('[s]\nbare\n', { allowNoValue: true }).sections, [['s', [['bare', null]]]]);
  t.same(at('[s]\nk = 1\n[s]\nk = 2\nj = 3\n', { strict: false }).sections, [['s', [['k', '2'], ['j', '3']]]], 'not strict: the section goes on, the later value wins');
  t.same(at('k = 0\n[s]\n???\nk = 1\n', { lenient: true }).sections, [['s', [['k', '1']]]], 'lenient: what is no setting is passed over');
  const e = (() => {
    try {
      parseIni('[s]\nk = 1\nk = 2\n');
    } catch (err) {
      return err as IniSyntaxError;
    }
  })();
  t.match(e, { kind: 'duplicate-option', line: 3, text: 'k = 2', section: 's', key: 'k' }, 'an error says what, where and in which section');
});

t.test('writes as configparser writes', async (t) => {
  const sections = new Map([
    ['a', new Map([['k', 'one\ntwo'], ['j', '']])],
    ['b', new Map([['x', '1']])],
  ]);
  const text = writeIni(sections);
  t.equal(text, '[a]\nk = one\n\ttwo\nj = \n\n[b]\nx = 1\n\n');
  t.same(ours(text, {}).sections, [['a', [['k', 'one\ntwo'], ['j', '']]], ['b', [['x', '1']]]], 'what it writes reads back the same');
});
