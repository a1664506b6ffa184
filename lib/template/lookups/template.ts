/**
 * `template`: a controller file (templates/ beside the playbook, then beside
 * it) rendered with the task's variables plus `template_vars`. The result is
 * text and is never rendered again.
 */
import { readJinjaHeader } from '../jinja/header.js';
import { isMapping } from '../values.js';
import { templateFileVars } from '../template-vars.js';
import { findControllerFile, readControllerText } from './find-file.js';
import { lookupFailure, onlyOptions, type LookupPlugin } from './types.js';

export const template: LookupPlugin = (terms, kw, env) => {
  onlyOptions('template', kw, ['template_vars', 'convert_data']);
  const extra = kw.template_vars ?? {};
  if (!isMapping(extra)) throw lookupFailure('template_vars must be a dict');
  return terms.map((term) => {
    const path = findControllerFile(String(term), 'templates', env);
    if (!path) throw lookupFailure(`the template file ${String(term)} could not be found for the lookup`, `relative names are looked for in templates/ beside the playbook, then beside it: ${env.searchPath.join(', ')}`);
    const { body, options } = readJinjaHeader(readControllerText(path, 'template'));
    // Ansible's template variables first, then template_vars over them.
    return env.render(body, { ...templateFileVars(String(term), path), ...(extra as Record<string, unknown>) }, options);
  });
};
