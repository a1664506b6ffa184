import { pyStr } from '../template/index.js';

/** How Ansible shows a loop item: Python's str() of it, so a dict reads {'name': 'etcd', 'port': 2379}. */
export function itemLabel(item: unknown): string {
  return typeof item === 'string' ? item : pyStr(item);
}
