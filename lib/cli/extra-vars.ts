/** -e in the three forms Ansible accepts: key=value pairs, @file (YAML or JSON), and inline YAML/JSON. */
import { resolve } from 'node:path';
import { TsplayError } from '../errors.js';
import { parseKeyValues } from '../util/free-form.js';
import { loadYamlFile, parseYaml } from '../playbook/yaml-source.js';
import { assignOwn } from '../util/own.js';

export function parseExtraVars(values: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of values) {
    const v = raw.trim();
    let data: unknown;
    if (v.startsWith('@')) {
      data = loadYamlFile(resolve(v.slice(1)), 'extra vars file', 'check the path after -e @');
    } else if (v.startsWith('{') || v.startsWith('---')) {
      data = parseYaml(v, '<-e>');
    } else {
      data = parseKeyValues(v).args;
      if (parseKeyValues(v).rest) {
        throw new TsplayError('option', `-e takes key=value pairs, @file or YAML/JSON, got '${raw}'`, { hint: "write e.g. -e master=master-2, or -e @vars.yml" });
      }
    }
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new TsplayError('option', `-e ${raw} did not give a mapping of variables`, { hint: 'a vars file must be a YAML mapping' });
    }
    assignOwn(out, data as Record<string, unknown>);
  }
  return out;
}
