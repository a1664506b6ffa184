import { renderValue, renderString, evaluateCondition, evaluateExpression } from './index.js';
const vars = {
  groups: { etcd: ['e1', 'e2'], all: ['e1', 'e2', 'm1'] },
  hostvars: new Proxy({}, { get: (_t, k) => (typeof k === 'string' && k.startsWith('e') ? { ansible_host: '10.0.0.' + k.slice(1), etcd_ip: 'x' } : undefined) }),
  inventory_hostname: 'e1', group_names: ['etcd'], result: { rc: 1, failed: true, stdout: 'a\nb' },
  a: '{{ b }}-x', b: 'hello', l: [3, 1, 2], users: [{ name: 'al', admin: true }, { name: 'bo', admin: false }],
  loop1: '{{ loop2 }}', loop2: '{{ loop1 }}',
};
const show = (f: () => unknown) => { try { console.log(JSON.stringify(f())); } catch (e) { console.log('ERR', (e as Error).message, '|', (e as any).hint); } };
for (const s of process.argv.slice(2)) {
  if (s.startsWith('?')) show(() => evaluateCondition(s.slice(1), vars));
  else if (s.startsWith('=')) show(() => evaluateExpression(s.slice(1), vars));
  else show(() => renderValue(s, vars));
}
