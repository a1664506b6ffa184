// Python regular expressions for modules (find, assemble): the template layer's translation, through the module layer.
export { pyRegex } from '../../template/regex.js';
export { pyPattern } from '../../template/safe-regex.js';
