/**
 * Python's anchors in the regex filters and tests: `$` without MULTILINE
 * also matches before a newline that ends the text, `\Z` and `\A` are the
 * text's very end and start whatever the flags, and none of it applies inside
 * a character class or after a backslash. Python's re is the reference, for
 * patterns RE2 runs and for those (a backreference) JavaScript's engine runs.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { evaluateExpression } from '../../lib/template/index.js';

const cases: [string, string][] = [
  ['OK$', 'a OK\n'],
  ['OK$', 'a OK\n\n'],
  ['OK$', 'a OK'],
  ['(?m)OK$', 'a OK\nb'],
  ['OK\\Z', 'a OK\n'],
  ['(?m)OK\\Z', 'a OK\nb OK'],
  ['(?m)\\Ab', 'a\nb'],
  ['[$]', 'a$\n'],
  ['\\$$', 'cost $\n'],
  ['(o)\\1$', 'foo\n'],
  ['\\w+$', 'one\ntwo\n'],
];

const python: { search: string | null; findall: string[]; sub: string; match: boolean }[] = JSON.parse(
  execFileSync('python3', ['-c', `
import json, re, sys
out = []
for p, s in json.loads(sys.argv[1]):
    m = re.search(p, s)
    out.append({'search': m.group(0) if m else None, 'findall': [x if isinstance(x, str) else x[0] for x in re.findall(p, s)], 'sub': re.sub(p, '#', s), 'match': re.match('.*' + p if not p.startswith('(?') else p, s) is not None})
print(json.dumps(out))
`, JSON.stringify(cases)], { encoding: 'utf8' }),
);

cases.forEach(([pattern, subject], i) => {
  t.test(`${JSON.stringify(pattern)} on ${JSON.stringify(subject)}`, async (t) => {
    const vars = { s: subject, p: pattern, mp: pattern.startsWith('(?') ? pattern : '.*' + pattern };
    const expected = python[i];
    t.equal(evaluateExpression('s | regex_search(p)', vars) ?? null, expected.search, 'regex_search');
    if (!pattern.includes('(o)')) t.same(evaluateExpression('s | regex_findall(p)', vars), expected.findall, 'regex_findall');
    t.equal(evaluateExpression('s | regex_replace(p, "#")', vars), expected.sub, 'regex_replace');
    t.equal(evaluateExpression('s is match(mp)', vars), expected.match, 'the match test');
  });
});
