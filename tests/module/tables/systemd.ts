import type { Table } from './index.js';

// Units need a running systemd (the lab test drives them); here, what is checked before any systemctl.
export const serviceTable = (): Table => () => [
  { name: 'an unsupported argument', args: { name: 'etcd', state: 'started', pattern: 'etcd' }, plan: { changed: false, failed: /unsupported argument 'pattern'/ } },
  { name: 'nothing to do', args: { name: 'etcd' }, plan: { changed: false, failed: /give state and\/or enabled/ } },
];

// systemd's own arguments; what they do to a real unit is in systemd-lab.test.ts.
const systemdTable: Table = (env) => [
  ...serviceTable()(env),
  { name: 'scope: global has no manager to start a unit', args: { name: 'etcd', scope: 'global', state: 'started' }, plan: { changed: false, failed: /scope: global enables, disables, masks and unmasks only/ } },
  { name: 'nothing asked of the unit names masked too', args: { name: 'etcd', scope: 'user' }, plan: { changed: false, failed: /give state and\/or enabled \(or masked\) for the unit/ } },
  { name: 'an unknown scope', args: { name: 'etcd', masked: true, scope: 'session' }, plan: { changed: false, failed: /scope/ } },
];
export default systemdTable;
