/**
 * Python's json.dumps with its defaults (", " and ": " separators, non-ASCII
 * as \uXXXX): the bytes Ansible's uri sends for `body_format: json`. The
 * template layer's to_json already writes exactly that; modules reach it here.
 */
export { pyJson as pythonJsonDumps } from '../../template/filters.js';
