/**
 * What the file modules use besides the kit, in the module layer so built-in
 * modules import nothing else: the byte-preserving format editors
 * (lib/formats) and the Jinja renderer the template module runs.
 */
export * from '../../formats/env-file.js';
export * from '../../formats/haproxy.js';
export * from '../../formats/ini-inventory.js';
export * from '../../formats/systemd-unit.js';
export * from '../../formats/yaml-edit.js';
export * from '../../formats/lineinfile.js';
export * from '../../formats/replace.js';
export { renderJinja } from '../../template/jinja/render.js';
export { makeCtx } from '../../template/render.js';
export { typeName as pythonTypeName } from '../../template/values.js';
export { loadYaml, toValue } from '../../inventory/yaml-load.js';
