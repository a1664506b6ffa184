import type { Table } from './index.js';

// Each case is a run of its own: the group is new every time, so every run reports a change.
const table: Table = () => [
  {
    name: 'a group from a template, under all',
    args: { key: 'kind_{{ kind }}' },
    vars: { kind: 'etcd' },
    plan: { changed: true },
    result: { changed: true, add_group: 'kind_etcd', parent_groups: ['all'] },
    idempotent: false,
  },
  {
    name: 'parents as one name or a list',
    args: { key: 'member', parents: '{{ cluster }}_members' },
    vars: { cluster: 'etcd' },
    plan: { changed: true },
    result: { add_group: 'member', parent_groups: ['etcd_members'] },
    idempotent: false,
  },
  {
    name: 'several parents',
    args: { key: 'member', parents: ['one', 'two'] },
    plan: { changed: true },
    result: { add_group: 'member', parent_groups: ['one', 'two'] },
    idempotent: false,
  },
  { name: 'no key', args: { parents: ['x'] }, plan: { changed: false, failed: /the 'key' param is required when using group_by/ } },
];
export default table;
