/**
 * Checks record lines against schema/events.schema.json with ajv: used by
 * `tsplay audit` for the records it reads, and by the record writer itself
 * when TSPLAY_VALIDATE_EVENTS=1 (set for every test by .taprc).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { eventsSchema } from './package-files.js';

function describe(errors: ErrorObject[] | null | undefined, line: unknown): string {
  if (!errors?.length) return 'does not match';
  // The most specific error: for a oneOf by type, the branch of the line's own type.
  const type = (line as { type?: unknown })?.type;
  const own = errors.filter((e) => !e.schemaPath.startsWith('#/oneOf') || e.schemaPath.includes(`/${String(type)}/`) || e.schemaPath.includes(`${String(type)}`));
  // A line without a known type fails on the discriminator alone.
  const disc = errors.find((e) => e.keyword === 'discriminator');
  if (disc) return `${typeof type === 'string' ? `unknown event type '${type}'` : "no 'type' field"}`;
  const pick = (own.length ? own : errors).slice(0, 3);
  return pick
    .map((e) => {
      const where = e.instancePath || '(the line)';
      if (e.keyword === 'additionalProperties') return `${where} has an unknown field '${String((e.params as { additionalProperty: string }).additionalProperty)}'`;
      if (e.keyword === 'required') return `${where} lacks '${String((e.params as { missingProperty: string }).missingProperty)}'`;
      return `${where} ${e.message ?? 'is wrong'}`;
    })
    .join('; ');
}

/** A function that returns undefined for a valid line, or what is wrong with it. */
export function eventValidator(): (line: unknown) => string | undefined {
  const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
  const validate = ajv.compile(eventsSchema());
  return (line) => (validate(line) ? undefined : describe(validate.errors, line));
}
