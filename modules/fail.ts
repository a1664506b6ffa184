import { defineModule } from '../lib/module/kit.js';

export default defineModule<{ msg: unknown }>({
  name: 'fail',
  description: 'Fails the host with a message; with `when`, a guard that stops a procedure before it does harm.',
  examples: ['- fail:\n    msg: "refusing to remove the last etcd member"\n  when: groups.etcd | length < 2'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { msg: { default: 'Failed as requested from task', description: 'The failure message.' } },
  },
  async plan(args) {
    return { changed: false, failed: String(args.msg), result: { msg: args.msg } };
  },
  async apply(args) {
    return { changed: false, failed: String(args.msg), result: { msg: args.msg } };
  },
});
