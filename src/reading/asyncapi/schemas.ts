/**
 * The official AsyncAPI JSON Schemas (@asyncapi/specs), prepared the way the parser's
 * `asyncapi-document-resolved` / `-unresolved` rules prepare them. Each validator is built on
 * first use (only the versions present in a run) and its generated code kept on disk.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import specs from '@asyncapi/specs';
import { cachedValidator } from './validator-cache';

type JsonObject = Record<string, unknown>;

/** Every version the parser knows (also 3.1.0: meshform's own version rule narrows this). */
export const ASYNCAPI_VERSIONS: readonly string[] = Object.keys(specs.schemas);

const validators = new Map<string, ValidateFunction>();

function copySchema(version: string, resolved: boolean): JsonObject {
  const copied = JSON.parse(JSON.stringify(specs.schemas[version as keyof typeof specs.schemas])) as JsonObject;
  const definitions = copied.definitions as Record<string, JsonObject>;
  // The meta schemas are built into ajv already.
  delete definitions['http://json-schema.org/draft-07/schema'];
  delete definitions['http://json-schema.org/draft-04/schema'];
  // $ref values like `#/a[0]` are legal JSON pointers but not RFC 3986 URIs; the parser drops the format.
  const referenceObject = definitions[`http://asyncapi.com/definitions/${version}/ReferenceObject.json`];
  if (referenceObject?.format === 'uri-reference') delete referenceObject.format;
  if (resolved && version.startsWith('3.')) allowResolvedV3References(definitions, version);
  return copied;
}

/** In 3.x some fields must be `$ref`s; once resolved they hold the referenced object instead. */
function allowResolvedV3References(definitions: Record<string, JsonObject>, version: string): void {
  const def = (name: string) => `http://asyncapi.com/definitions/${version}/${name}.json`;
  const props = (name: string) => definitions[def(name)]?.properties as Record<string, JsonObject> | undefined;
  const channelServers = props('channel')?.servers?.items as JsonObject | undefined;
  if (channelServers) channelServers.$ref = def('server');
  for (const name of ['operation', 'operationReply']) {
    const p = props(name);
    if (p?.channel) p.channel.$ref = def('channel');
    const items = p?.messages?.items as JsonObject | undefined;
    if (items) items.$ref = def('messageObject');
  }
}

/**
 * Validator of a whole document, resolved (`$ref`s replaced) or as written.
 *
 * @param allErrors false: a cheaper validator that stops at the first error, for the verdict
 *   only (valid documents, the common case, need nothing more)
 */
export function documentValidator(version: string, resolved: boolean, allErrors = true): ValidateFunction {
  const variant = resolved ? 'resolved' : 'unresolved';
  const key = `${version}/${variant}/${allErrors}`;
  let validate = validators.get(key);
  if (!validate) {
    // In 2.x both variants are the same schema: name them alike so they share one file and validator.
    const name = version.startsWith('3.') ? `asyncapi-${version}-${variant}` : `asyncapi-${version}-document`;
    validate = cachedValidator(name, copySchema(version, resolved), allErrors);
    validators.set(key, validate);
  }
  return validate;
}

/** Validator of a single Schema Object of the given version (the AsyncAPI schema parser's check). */
export function schemaObjectValidator(version: string, allErrors = true): ValidateFunction {
  const key = `${version}/schema/${allErrors}`;
  let validate = validators.get(key);
  if (!validate) {
    const definitions = copySchema(version, false).definitions;
    validate = cachedValidator(`asyncapi-${version}-schema-object`, { $ref: `http://asyncapi.com/definitions/${version}/schema.json`, definitions }, allErrors);
    validators.set(key, validate);
  }
  return validate;
}

/**
 * The parser's `prepareResults` for resolved documents: drops `required $ref` noise and
 * `oneOf` (and `if`/`then`) errors already explained by a deeper error, so the message that says
 * what to fix is the one reported. Returns the errors that still count.
 */
export function significantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const list = errors
    .filter((e) => !(e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === '$ref'))
    .map((e) => ({ ...e }));
  for (const e of list) {
    if (e.keyword === 'additionalProperties') {
      e.instancePath = `${e.instancePath}/${String((e.params as { additionalProperty?: string }).additionalProperty)}`;
    }
  }
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (i + 1 < list.length && list[i + 1].instancePath === e.instancePath) {
      list.splice(i + 1, 1);
      i--;
    } else if (i > 0 && (e.keyword === 'oneOf' || e.keyword === 'if') && list[i - 1].instancePath.startsWith(e.instancePath)) {
      // A branch that failed because of an error below it (`"kafka" property must match "then" schema`
      // after `"partitions" property must be >= 1`): the error below says what to fix.
      list.splice(i, 1);
      i--;
    }
  }
  return list;
}

/** `additionalProperties` naming `$ref`: the parser reports these only as "Referencing in this place is not allowed". */
export function isRefNotAllowed(e: ErrorObject): boolean {
  return e.keyword === 'additionalProperties' && (e.params as { additionalProperty?: string }).additionalProperty === '$ref';
}
