import { defineModule, ModuleError } from '../lib/module/kit.js';
import { loadYaml, toValue } from '../lib/module/files/formats.js';
import { controllerFile, readController } from '../lib/module/files/put-file.js';

interface Args {
  file: string;
  name?: string;
}

export default defineModule<Args>({
  name: 'include_vars',
  description: "Ansible's include_vars for one file: loads a YAML or JSON file from the controller (vars/ beside the playbook, or beside it) as host variables, at set_fact's precedence, or under one variable with `name`. Runs in check mode too.",
  examples: ['- include_vars: cluster.yml', '- include_vars:\n    file: vars/members.yml\n    name: members'],
  freeForm: 'file',
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['file'],
    properties: {
      file: { type: 'string', minLength: 1, description: 'The file (dir, files_matching and depth are not supported).' },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Put the loaded mapping under this variable.' },
    },
  },
  async plan(args, ctx) {
    const file = controllerFile(args.file, ctx.vars, 'vars');
    const { doc } = loadYaml(readController(file).toString('utf8'), file);
    const data = toValue(doc.contents, doc) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new ModuleError(`${file} must hold a mapping of variables`);
    const facts = args.name ? { [args.name]: data } : (data as Record<string, unknown>);
    return { changed: false, result: { ansible_facts: facts, ansible_included_var_files: [file] } };
  },
  async apply(_args, _ctx, plan) {
    return { changed: false, result: plan.result };
  },
});
