/**
 * The ajv configuration @asyncapi/parser's default ruleset validates with (Spectral's `schema`
 * function): same options and formats, so the same documents pass and fail.
 */
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';

/** The options that shape generated validators (also part of the validator cache key). */
export const AJV_OPTIONS = {
  allErrors: true,
  meta: true,
  messages: true,
  strict: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
} as const satisfies Options;

/**
 * @param allErrors false for a validator that only answers valid / invalid (stops at the first
 *   error: same verdicts, less work on valid documents)
 * @param source keep the generated code, for `standaloneCode` (see validator-cache.ts)
 */
export function createAjv(options?: { allErrors?: boolean; source?: boolean }): Ajv {
  const ajv = new Ajv({
    ...AJV_OPTIONS,
    allErrors: options?.allErrors ?? AJV_OPTIONS.allErrors,
    code: { source: options?.source ?? false },
    // Spectral silences "unknown format" warnings; so do we.
    logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
  });
  addFormats(ajv);
  ajv.addMetaSchema(draft6MetaSchema);
  return ajv;
}

let shared: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * Validators for schemas that come from specs (message payloads with examples, schemas with
 * defaults). Identical schemas across specs share one compiled validator.
 */
export function compileUserSchema(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    shared ??= createAjv();
    validate = shared.compile(schema as object);
    compiled.set(key, validate);
  }
  return validate;
}
