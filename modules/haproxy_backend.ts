import { defineModule, ModuleError } from '../lib/module/kit.js';
import { listServers, removeServer, setServer } from '../lib/module/files/formats.js';
import { applyEdit, editProperties, fileRead, planEdit, touchService, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

interface Args extends EditArgs {
  backend: string;
  server: string;
  address?: string;
  options?: string | string[];
  state: 'present' | 'absent';
  reload: 'restart' | 'reload' | 'none';
  service: string;
}

export default defineModule<Args, EditState>({
  name: 'haproxy_backend',
  description:
    "Adds, updates or removes one `server` line in one backend (or listen section) of haproxy.cfg, leaving every other byte as it was (other sections' servers of the same name included). The new file is checked with `haproxy -c -f` before it replaces the old one; haproxy is restarted when the file changed.",
  examples: [
    '- name: Take the master out of the load balancer\n  haproxy_backend:\n    backend: mgmt8443\n    server: master-0.example.com\n    state: absent',
    '- haproxy_backend:\n    backend: mgmt8443\n    server: master-3.example.com\n    address: 192.168.55.14:8443\n    options: check\n    reload: reload',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['backend', 'server'],
    properties: {
      path: { type: 'string', default: '/etc/haproxy/haproxy.cfg', description: "haproxy's configuration file." },
      backend: { type: 'string', minLength: 1, description: 'The backend or listen section.' },
      server: { type: 'string', minLength: 1, description: "The server's name." },
      address: { type: 'string', minLength: 1, description: 'host:port, needed for state: present.' },
      options: { type: ['string', 'array'], items: { type: 'string' }, description: 'What follows the address (`check`, `check inter 2s`).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'absent removes the line; a server that is not there is not an error.' },
      reload: { enum: ['restart', 'reload', 'none'], default: 'restart', description: 'What to do to haproxy when the file changed.' },
      service: { type: 'string', default: 'haproxy', description: 'The service to restart or reload.' },
      backup: editProperties.backup,
      validate: { ...editProperties.validate, default: 'haproxy -c -f %s' },
    },
  },
  reads: (args) => fileRead({ path: args.path ?? '/etc/haproxy/haproxy.cfg' }),
  plan(args, ctx) {
    if (args.state === 'present' && !args.address) throw new ModuleError("state: present needs 'address' (host:port)");
    return planEdit(
      args,
      ctx,
      (text) =>
        args.state === 'absent' ? removeServer(text, args.backend, args.server) : setServer(text, { backend: args.backend, name: args.server, address: args.address!, options: args.options }),
      (after) => ({ backend: args.backend, servers: listServers(after, args.backend).map((s) => s.name) }),
    );
  },
  async apply(args, ctx, plan) {
    const result = await applyEdit(args, ctx, plan);
    return { changed: true, result: { ...result, ...(await touchService(ctx, args.service, args.reload)) } };
  },
});
