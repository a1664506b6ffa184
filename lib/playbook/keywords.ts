/**
 * The keywords tsplay understands, with JSON Schemas for their values. One
 * table so that validation, "did you mean" suggestions and the docs agree.
 */

const stringOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const conditionList = { anyOf: [{ type: ['string', 'boolean'] }, { type: 'array', items: { type: ['string', 'boolean'] } }] };
const templatedBool = { type: ['boolean', 'string', 'integer'] };
const templatedNumber = { type: ['integer', 'string'] };
/** sudo or su, or a template that renders to one (checked when the task runs). */
const templatedMethod = { anyOf: [{ enum: ['sudo', 'su'] }, { type: 'string', pattern: '\\{\\{' }] };
/** A mapping, or (as Ansible also reads it) a list of mappings merged in order. */
const varsMap = { anyOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] };
const taskList = { type: ['array', 'null'], items: { type: 'object' } };
/** A name: Ansible's string field takes null (no name) and a scalar, which it turns into text. */
const nameField = { type: ['string', 'null', 'number', 'boolean'] };

/** Keywords every task, block and include may carry. */
const commonTaskKeywords: Record<string, object> = {
  name: nameField,
  when: conditionList,
  tags: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'number'] } }] },
  vars: varsMap,
  become: templatedBool,
  become_user: { type: 'string' },
  become_method: templatedMethod,
  ignore_errors: templatedBool,
  ignore_unreachable: templatedBool,
  any_errors_fatal: templatedBool,
  check_mode: templatedBool,
  no_log: templatedBool,
  run_once: templatedBool,
  delegate_to: { type: 'string' },
  timeout: templatedNumber,
  environment: { type: ['object', 'string'] },
  // Diff mode for the task, whatever --diff says (lib/engine/run-task.ts resolveDiff).
  diff: templatedBool,
  delegate_facts: templatedBool,
  // Checked by lib/playbook/module-defaults.ts.
  module_defaults: { type: ['object', 'array', 'null'] },
};

export const taskKeywords: Record<string, object> = {
  ...commonTaskKeywords,
  loop: { type: ['array', 'string'] },
  with_items: { type: ['array', 'string'] },
  with_list: { type: ['array', 'string'] },
  // The other with_<lookup> loops of ansible-core; any with_ name is accepted (lib/playbook/loop-keyword.ts).
  ...Object.fromEntries(['dict', 'together', 'sequence', 'subelements', 'nested', 'indexed_items', 'fileglob', 'first_found', 'random_choice'].map((l) => [`with_${l}`, {}])),
  loop_control: {
    type: 'object',
    additionalProperties: false,
    properties: {
      loop_var: { type: 'string' },
      label: { type: 'string' },
      index_var: { type: 'string' },
      pause: { type: ['number', 'string'] },
      // ansible_loop always carries the extended fields in tsplay.
      extended: templatedBool,
      extended_allitems: templatedBool,
    },
  },
  register: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  notify: stringOrList,
  listen: stringOrList,
  changed_when: conditionList,
  failed_when: conditionList,
  until: conditionList,
  retries: templatedNumber,
  delay: { type: ['number', 'string'] },
  args: { type: ['object', 'string'] },
};

export const blockKeywords: Record<string, object> = {
  ...commonTaskKeywords,
  // Passed to every task of the block (lib/playbook/parse-task.ts), as Ansible's inheritance does.
  notify: stringOrList,
  block: taskList,
  rescue: taskList,
  always: taskList,
};

/** import_tasks takes a block's keywords: its tasks inherit them, `notify` too. */
export const importKeywords: Record<string, object> = {};

export const includeKeywords: Record<string, object> = {
  ...commonTaskKeywords,
  include_tasks: {
    anyOf: [{ type: 'string' }, { type: 'object', properties: { file: { type: 'string' }, apply: { type: 'object' } }, required: ['file'], additionalProperties: false }],
  },
  import_tasks: { type: 'string' },
  loop: { type: ['array', 'string'] },
  with_items: { type: ['array', 'string'] },
  loop_control: taskKeywords.loop_control,
};
Object.assign(importKeywords, includeKeywords, { notify: stringOrList });

/** An include_tasks among the handlers also answers to `listen`. */
export const handlerIncludeKeywords: Record<string, object> = { ...includeKeywords, listen: stringOrList };

export const playKeywords: Record<string, object> = {
  name: nameField,
  hosts: stringOrList,
  vars: varsMap,
  vars_files: stringOrList,
  serial: { anyOf: [{ type: ['integer', 'string'] }, { type: 'array', items: { type: ['integer', 'string'] } }] },
  any_errors_fatal: templatedBool,
  force_handlers: templatedBool,
  max_fail_percentage: { type: ['number', 'string'] },
  become: templatedBool,
  become_user: { type: 'string' },
  become_method: templatedMethod,
  gather_facts: templatedBool,
  // Passed to the setup that gather_facts runs, as Ansible does.
  gather_subset: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  gather_timeout: { type: ['integer', 'string'] },
  fact_path: { type: 'string' },
  pre_tasks: taskList,
  tasks: taskList,
  post_tasks: taskList,
  handlers: taskList,
  tags: commonTaskKeywords.tags,
  roles: { type: ['array', 'null'] },
  check_mode: templatedBool,
  ignore_unreachable: templatedBool,
  no_log: templatedBool,
  environment: { type: ['object', 'string'] },
  remote_user: { type: 'string' },
  connection: { type: 'string' },
  // A template is rendered when the play starts, as Ansible's post-validation does (lib/engine/play.ts).
  diff: templatedBool,
  strategy: { anyOf: [{ enum: ['linear'] }, { type: 'string', pattern: '\\{\\{' }] },
  collections: { type: 'array' },
  module_defaults: commonTaskKeywords.module_defaults,
};

/** The keywords of a `roles:` entry or a meta dependency; every other key is a role parameter. */
export const roleEntryKeywords: Record<string, object> = {
  ...commonTaskKeywords,
  collections: { type: 'array' },
  debugger: { type: 'string' },
};
delete roleEntryKeywords.name;

const roleSpec = { anyOf: [{ type: 'string' }, { type: 'object' }] };

/** import_role and include_role: the task keywords of an include, the role's options under the action. */
export const includeRoleKeywords: Record<string, object> = {
  ...commonTaskKeywords,
  include_role: roleSpec,
  import_role: roleSpec,
  loop: { type: ['array', 'string'] },
  with_items: { type: ['array', 'string'] },
  loop_control: taskKeywords.loop_control,
};

export const importPlaybookKeywords: Record<string, object> = {
  name: nameField,
  import_playbook: { type: 'string' },
  vars: varsMap,
  when: conditionList,
  tags: commonTaskKeywords.tags,
};

/** Keywords Ansible has that tsplay deliberately does not support yet, with what to use instead. */
export const unsupportedKeywords: Record<string, string> = {
  include: "the old 'include' is not supported: use import_tasks or include_tasks",
  async: 'async tasks are not supported',
  poll: 'async tasks are not supported',
  vars_prompt: 'vars_prompt is not supported: pass values with -e',
};

// Keys from a playbook are looked up in these tables with `in`: without a
// prototype, '__proto__', 'constructor' or 'toString' are unknown keys like
// any other, as in Ansible, instead of inherited "keywords".
for (const table of [taskKeywords, blockKeywords, includeKeywords, handlerIncludeKeywords, importKeywords, includeRoleKeywords, roleEntryKeywords, playKeywords, importPlaybookKeywords, unsupportedKeywords]) Object.setPrototypeOf(table, null);
