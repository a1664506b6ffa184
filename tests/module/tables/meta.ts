import type { Table } from './index.js';

const table: Table = () => [
  { name: 'noop does nothing', args: 'noop', plan: { changed: false } },
  { name: 'flush_handlers with nothing notified', args: 'flush_handlers', plan: { changed: false } },
];
export default table;
