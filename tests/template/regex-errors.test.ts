/**
 * A pattern that does not compile fails with Python's reason for it, as
 * Python's re module words it (without its "at position N"), in the regex
 * filters and tests. Python itself is the reference.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { evaluateExpression } from '../../lib/template/index.js';

const patterns = ['*', '(a', 'a)', '[a', 'a{3,1}', '\\', '[z-a]', '(?P<a>x)(?P<a>y)', '(?P<n>a)(?P=m)'];

const pythonReasons: string[] = JSON.parse(
  execFileSync('python3', ['-c', `
import json, re, sys
out = []
for p in json.loads(sys.argv[1]):
    try:
        re.compile(p)
        out.append('')
    except re.error as e:
        out.append(e.msg)
print(json.dumps(out))
`, JSON.stringify(patterns)], { encoding: 'utf8' }),
);

patterns.forEach((pattern, i) => {
  t.test(`the pattern ${JSON.stringify(pattern)}`, async (t) => {
    // Python's reason, less what names the group or range (tsplay's reason is the kind of mistake).
    const reason = pythonReasons[i].replace(/ ('.*'|z-a)( as group \d+; was group \d+)?$/, '');
    t.ok(reason, 'Python refuses it');
    for (const expr of ['s | regex_search(p)', 's is search(p)', 's | regex_replace(p, "x")']) {
      let message = '';
      try {
        evaluateExpression(expr, { s: 'abc', p: pattern });
      } catch (e) {
        message = (e as Error).message;
      }
      t.match(message, `: ${reason}`, `${expr} fails with Python's reason`);
      t.notMatch(message, /Invalid regular expression/, 'not JavaScript\'s words');
    }
  });
});
