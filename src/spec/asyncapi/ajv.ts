/**
 * The ajv configuration @asyncapi/parser's default ruleset validates with (Spectral's `schema`
 * function): same options and formats, so the same documents pass and fail.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';

export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    meta: true,
    messages: true,
    strict: false,
    allowUnionTypes: true,
    unicodeRegExp: false,
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
