import type { Table } from './index.js';

const table: Table = () => [
  { name: 'a message', args: { msg: 'hello {{ who }}' }, vars: { who: 'world' }, plan: { changed: false }, result: { msg: 'hello world' }, checkResult: { msg: 'hello world' } },
  { name: 'a variable', args: { var: 'answer' }, vars: { answer: 42 }, plan: { changed: false }, result: { answer: 42 } },
  { name: 'an undefined variable says so', args: { var: 'nope' }, plan: { changed: false }, result: { nope: 'VARIABLE IS NOT DEFINED!' } },
  { name: 'below the verbosity: skipped', args: { msg: 'x', verbosity: 2 }, plan: { changed: false, skipped: true } },
];
export default table;
