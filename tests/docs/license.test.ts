/** LICENSE is the full, unchanged Apache License 2.0 text, as package.json declares. */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

t.test('LICENSE matches package.json', async (t) => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { license: string };
  t.equal(pkg.license, 'Apache-2.0');
  const text = readFileSync(join(REPO, 'LICENSE'), 'utf8');
  t.match(text, /^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  t.match(text, /END OF TERMS AND CONDITIONS/);
  // The standard text as apache.org publishes it (LICENSE-2.0.txt), byte for byte.
  t.equal(createHash('md5').update(text).digest('hex'), '3b83ef96387f14655fc854ddc3c6bd57');
});
