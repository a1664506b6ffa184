// The template module's Jinja settings (its arguments, a template's #jinja2: header, the template_* variables): the template layer's, through the module layer.
export { readJinjaHeader } from '../../template/jinja/header.js';
export { DEFAULT_LEX, type LexOptions } from '../../template/jinja/lexer.js';
export { templateFileVars } from '../../template/template-vars.js';
