import type { Table } from './index.js';

// Units need a running systemd (the lab test drives them); here, what is checked before any systemctl.
export const serviceTable = (): Table => () => [
  { name: 'an unsupported argument', args: { name: 'etcd', state: 'started', pattern: 'etcd' }, plan: { changed: false, failed: /unsupported argument 'pattern'/ } },
  { name: 'nothing to do', args: { name: 'etcd' }, plan: { changed: false, failed: /give state and\/or enabled/ } },
];
export default serviceTable();
