import type { Table } from './index.js';

const table: Table = () => [
  { name: 'conditions that hold', args: { that: ['1 == 1', 'x > 2'] }, vars: { x: 3 }, plan: { changed: false }, result: { msg: 'All assertions passed' } },
  { name: 'a condition that fails, with its message', args: { that: ['x > 5'], fail_msg: 'x is too small' }, vars: { x: 3 }, plan: { changed: false, failed: 'x is too small' }, expect: {} },
  { name: 'quiet success message', args: { that: 'true', success_msg: 'fine', quiet: true }, plan: { changed: false }, result: { msg: 'fine' } },
];
export default table;
