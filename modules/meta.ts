import { defineModule } from '../lib/module/kit.js';

/** The engine carries these out itself; the module only validates the action. */
export const metaActions = ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_host_errors', 'noop', 'refresh_inventory', 'clear_facts', 'reset_connection'] as const;

export default defineModule<{ free_form: (typeof metaActions)[number] }>({
  name: 'meta',
  description: 'Controls the run itself: flush_handlers runs notified handlers now; end_play, end_host and end_batch stop early; clear_host_errors brings failed hosts back; noop does nothing.',
  examples: ['- meta: flush_handlers', '- meta: end_host\n  when: not needs_restore'],
  freeForm: 'free_form',
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['free_form'],
    properties: { free_form: { enum: [...metaActions], description: 'The action.' } },
  },
  async plan(args) {
    return { changed: false, result: { meta: args.free_form } };
  },
});
