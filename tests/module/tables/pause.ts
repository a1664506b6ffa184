import type { Table } from './index.js';

const table: Table = () => [{ name: 'waits (zero seconds)', args: { seconds: 0 }, plan: { changed: false }, result: { user_input: '' } }];
export default table;
