import type { Table } from './index.js';

const table: Table = () => [
  { name: 'sets facts', args: { a: 1, b: '{{ x }}-y' }, vars: { x: 'v' }, plan: { changed: false }, result: { ansible_facts: { a: 1, b: 'v-y' } } },
  { name: 'cacheable is accepted, not a fact', args: { c: true, cacheable: true }, plan: { changed: false }, result: { ansible_facts: { c: true } } },
];
export default table;
