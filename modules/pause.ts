import { defineModule } from '../lib/module/kit.js';

interface Args {
  seconds?: number;
  minutes?: number;
  prompt?: string;
}

export default defineModule<Args>({
  name: 'pause',
  description: 'Waits for a number of seconds or minutes (a prompt is shown, not awaited: runs are unattended).',
  examples: ['- pause:\n    seconds: 5', '- pause: seconds=2'],
  checkMode: 'always',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      seconds: { type: 'number', minimum: 0, description: 'Seconds to wait.' },
      minutes: { type: 'number', minimum: 0, description: 'Minutes to wait.' },
      prompt: { type: 'string', description: 'Text printed before waiting.' },
    },
  },
  async plan(args) {
    return { changed: false, result: {} };
  },
  async apply(args, ctx) {
    const ms = ((args.minutes ?? 0) * 60 + (args.seconds ?? 0)) * 1000;
    if (args.prompt) ctx.log(args.prompt);
    const start = Date.now();
    await new Promise((r) => setTimeout(r, ms));
    const delta = Math.round((Date.now() - start) / 1000);
    return { changed: false, result: { delta, echo: true, start: new Date(start).toISOString(), stop: new Date().toISOString(), user_input: '' } };
  },
});
