/**
 * `ansible_local`: the `*.fact` files of fact_path (/etc/ansible/facts.d),
 * as ansible-core 2.14's LocalFactCollector reads them: an executable one is
 * run and its output read, another is read; the text is JSON, or else INI
 * (sections of lower-cased keys); a file that is neither, a script that
 * fails, or a dangling symlink gives a message in its place and a warning.
 */
import { parseIni } from '../../config/ini.js';
import { setOwn } from '../../util/own.js';
import { fields } from './system.js';

export interface LocalFacts {
  local: Record<string, unknown>;
  warnings: string[];
}

function iniFact(text: string, file: string): Record<string, unknown> | undefined {
  try {
    const out: Record<string, Record<string, string>> = {};
    for (const e of parseIni(text, file)) {
      if (!Object.prototype.hasOwnProperty.call(out, e.section)) setOwn(out, e.section, {});
      setOwn(out[e.section], e.key, e.value);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The sections `fact NAME.fact` of the gathering script, in the order the shell's glob gave them. */
export function localFacts(sections: Map<string, string>, factPath: string): LocalFacts {
  const local: Record<string, unknown> = {};
  const warnings: string[] = [];
  const names = [...sections.keys()].filter((k) => k.startsWith('fact ')).map((k) => k.slice(5)).sort();
  for (const name of names) {
    const f = fields(sections.get(`fact ${name}`));
    const file = `${factPath.replace(/\/+$/, '')}/${name}`;
    const key = name.replace('.fact', '');
    const out = Buffer.from(f.out ?? '', 'base64');
    if (f.rc === 'stat') {
      const failed = `Could not stat fact (${file}): [Errno 2] No such file or directory: '${file}'`;
      setOwn(local, key, failed);
      warnings.push(failed);
      continue;
    }
    if (f.rc !== 'read' && f.rc !== '0') {
      const failed = `Failure executing fact script (${file}), rc: ${f.rc}, err: ${Buffer.from(f.err ?? '', 'base64').toString('utf8')}`;
      setOwn(local, key, failed);
      warnings.push(failed);
      continue;
    }
    const text = new TextDecoder('utf-8', { fatal: true });
    let content: string;
    try {
      content = text.decode(out);
    } catch {
      const msg = `error loading fact - output of running "${file}" was not utf-8`;
      setOwn(local, key, msg);
      warnings.push(msg);
      continue;
    }
    let fact: unknown;
    try {
      fact = JSON.parse(content);
    } catch {
      fact = iniFact(content, file);
      if (fact === undefined) {
        fact = `error loading facts as JSON or ini - please check content: ${file}`;
        warnings.push(fact as string);
      }
    }
    setOwn(local, key, fact);
  }
  return { local, warnings };
}
