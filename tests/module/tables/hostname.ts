import type { Table } from './index.js';

// Setting a name changes the whole host: the lab host runs those cases (tables-lab-system.ts), and puts its name back.
const table: Table = () => [
  { name: 'a name longer than 64 characters is refused', args: { name: 'a'.repeat(65) }, plan: { changed: false, failed: /name/ } },
  { name: 'a strategy tsplay does not have is refused', args: { name: 'h1', use: 'alpine' }, plan: { changed: false, failed: /use/ } },
];
export default table;
