import { defineModule, ModuleError } from '../lib/module/kit.js';
import { editEnvList, getEnv, setEnv, splitList } from '../lib/module/files/formats.js';
import { applyEdit, editProperties, fileRead, planEdit, touchService, type EditArgs, type EditState } from '../lib/module/files/text-edit.js';

interface Args extends EditArgs {
  etcd_endpoints?: string[] | string;
  add_endpoints?: string[];
  remove_endpoints?: string[];
  restart: boolean;
  service: string;
}

const KEY = 'FLANNEL_ETCD_ENDPOINTS';
const list = (v: string[] | string) => (typeof v === 'string' ? splitList(v) : v);

export default defineModule<Args, EditState>({
  name: 'flanneld_config',
  description:
    "Sets the etcd endpoints flanneld uses (FLANNEL_ETCD_ENDPOINTS in /etc/sysconfig/flanneld): the whole list, or endpoints to add or remove; every other byte of the file stays. Restarts flanneld when the file changed, as the procedures do after editing it.",
  examples: [
    '- flanneld_config:\n    remove_endpoints:\n      - https://master-1.example.com:2379\n      - https://master-2.example.com:2379',
    '- flanneld_config:\n    etcd_endpoints: "{{ groups.etcd | map(\'regex_replace\', \'^(.*)$\', \'https://\\\\1:2379\') | list }}"\n    restart: false',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      path: { type: 'string', default: '/etc/sysconfig/flanneld', description: "flanneld's environment file." },
      etcd_endpoints: { type: ['array', 'string'], items: { type: 'string' }, description: 'The full endpoint list (a list, or one comma-separated string).' },
      add_endpoints: { type: 'array', items: { type: 'string' }, description: 'Endpoints to add at the end when missing.' },
      remove_endpoints: { type: 'array', items: { type: 'string' }, description: 'Endpoints to remove.' },
      restart: { type: 'boolean', default: true, description: 'Restart the service when the file changed.' },
      service: { type: 'string', default: 'flanneld.service', description: 'The service to restart.' },
      ...editProperties,
    },
  },
  reads: (args) => fileRead({ path: args.path ?? '/etc/sysconfig/flanneld' }),
  plan(args, ctx) {
    // Either the full list, or endpoints to add and remove: never both.
    const partial = args.add_endpoints !== undefined || args.remove_endpoints !== undefined;
    if (args.etcd_endpoints !== undefined && partial) throw new ModuleError('give either etcd_endpoints (the full list) or add_endpoints/remove_endpoints, not both');
    if (args.etcd_endpoints === undefined && !partial) throw new ModuleError('give etcd_endpoints (the full list) or add_endpoints/remove_endpoints');
    return planEdit(
      args,
      ctx,
      (text) => (args.etcd_endpoints !== undefined ? setEnv(text, KEY, list(args.etcd_endpoints).join(',')) : editEnvList(text, KEY, { add: args.add_endpoints, remove: args.remove_endpoints })),
      (after) => ({ etcd_endpoints: splitList(getEnv(after, KEY) ?? '') }),
    );
  },
  async apply(args, ctx, plan) {
    const result = await applyEdit(args, ctx, plan);
    return { changed: true, result: { ...result, ...(await touchService(ctx, args.service, args.restart ? 'restart' : 'none')) } };
  },
});
