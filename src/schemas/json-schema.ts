/**
 * JSON Schema payloads (and AsyncAPI Schema Objects, a superset of draft-07): checked against
 * their meta-schema with ajv, registered as key-sorted JSON, and compared locally with the rules
 * Confluent-compatible registries apply to JSON Schema evolution (open and closed content models:
 * see docs/schemas.md). The local comparison is conservative: what it cannot prove compatible
 * (a changed `oneOf`, `not`, `if`) it reports.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import { compareText } from '../compare';
import { isUnder, jsonSchemaProblems } from './json-schema-check';
import { CODES } from '../vocabulary/codes';
import { type Draft, JSON_SCHEMA_DRAFTS, draftOf } from './json-drafts';
import { sortedJson } from './sorted-json';
import type { FormatSupport, SchemaProblem } from './types';

type Json = Record<string, unknown>;

let validators: Record<Draft, Ajv> | undefined;

/** One ajv per draft (ajv has a class per meta-schema family); none ever loads a schema from anywhere. */
function ajvFor(draft: Draft): Ajv {
  validators ??= (() => {
    const options = { strict: false, allErrors: true, logger: false } as const;
    const draft7 = withFormats(new Ajv({ ...options, validateFormats: true }));
    if (!draft7.getSchema('http://json-schema.org/draft-06/schema')) draft7.addMetaSchema(draft6MetaSchema);
    return {
      'draft-04': withFormats(new Ajv04(options)),
      'draft-06': draft7,
      'draft-07': draft7,
      '2019-09': withFormats(new Ajv2019(options)),
      '2020-12': withFormats(new Ajv2020(options)),
    };
  })();
  return validators[draft];
}

/** Compiled record validators by schema (compiling costs far more than validating a record). */
const recordValidators = new WeakMap<object, ValidateFunction>();

function recordValidator(schema: unknown): ValidateFunction {
  if (typeof schema === 'boolean') return ((() => schema) as unknown) as ValidateFunction;
  const key = schema as Json;
  let validate = recordValidators.get(key);
  if (!validate) {
    validate = ajvFor((typeof key.$schema === 'string' ? draftOf(key.$schema) : undefined) ?? 'draft-07').compile(key);
    recordValidators.set(key, validate);
  }
  return validate;
}

function withFormats<T extends Ajv>(ajv: T): T {
  addFormats(ajv);
  return ajv;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `[..., 'type', 1]` -> `[..., 'type']`: ajv complains about the whole list. */
function keywordPath(path: ReadonlyArray<string | number>): ReadonlyArray<string | number> {
  return typeof path[path.length - 1] === 'number' ? path.slice(0, -1) : path;
}

function pathOf(e: ErrorObject): string[] {
  return e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function types(schema: Json): Set<string> | undefined {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(schema.type.filter((t): t is string => typeof t === 'string'));
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map(jsonType));
  if ('const' in schema) return new Set([jsonType(schema.const)]);
  return undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeText(schema: unknown): string {
  if (schema === true || (isObject(schema) && Object.keys(schema).length === 0)) return 'any';
  if (!isObject(schema)) return 'none';
  const t = types(schema);
  if (!t) return Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : 'any';
  const list = [...t].sort(compareText);
  if (list.length === 1 && list[0] === 'array' && isObject(schema.items)) return `array<${typeText(schema.items)}>`;
  return list.join('|');
}

const COMBINATORS = ['oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', 'dependencies', 'dependentSchemas', 'patternProperties'] as const;

/**
 * Every instance `writer` accepts must be accepted by `reader`. Problems are phrased from the
 * reader's side, with a JSON path into the schema.
 */
function reads(reader: unknown, writer: unknown, at: string, problems: string[]): void {
  if (sortedJson(reader) === sortedJson(writer)) return;
  if (reader === true || (isObject(reader) && Object.keys(reader).length === 0)) return;
  if (writer === false) return;
  const where = at || '/';
  if (!isObject(reader) || !isObject(writer)) {
    problems.push(`${where}: schema narrowed to ${JSON.stringify(reader)}`);
    return;
  }

  const tr = types(reader);
  const tw = types(writer);
  if (tr) {
    if (!tw) {
      problems.push(`${where}: type restricted to ${[...tr].join('|')}`);
    } else {
      const missing = [...tw].filter((t) => !tr.has(t) && !(t === 'integer' && tr.has('number')));
      if (missing.length) problems.push(`${where}: type changed from ${typeText(writer)} to ${typeText(reader)}`);
    }
  }

  if (Array.isArray(reader.enum)) {
    const allowed = new Set(reader.enum.map(sortedJson));
    const written = Array.isArray(writer.enum) ? writer.enum : 'const' in writer ? [writer.const] : undefined;
    const lost = written?.filter((v) => !allowed.has(sortedJson(v)));
    if (!written) problems.push(`${where}: enum added`);
    else if (lost && lost.length) problems.push(`${where}: enum no longer allows ${lost.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if ('const' in reader && !('const' in writer && sortedJson(reader.const) === sortedJson(writer.const))) {
    problems.push(`${where}: const ${JSON.stringify(reader.const)} added or changed`);
  }

  narrowed(reader, writer, 'maxLength', 'max', where, problems);
  narrowed(reader, writer, 'minLength', 'min', where, problems);
  narrowed(reader, writer, 'maximum', 'max', where, problems);
  narrowed(reader, writer, 'minimum', 'min', where, problems);
  narrowed(reader, writer, 'exclusiveMaximum', 'max', where, problems);
  narrowed(reader, writer, 'exclusiveMinimum', 'min', where, problems);
  narrowed(reader, writer, 'maxItems', 'max', where, problems);
  narrowed(reader, writer, 'minItems', 'min', where, problems);
  narrowed(reader, writer, 'maxProperties', 'max', where, problems);
  narrowed(reader, writer, 'minProperties', 'min', where, problems);
  for (const key of ['pattern', 'format', 'multipleOf'] as const) {
    if (reader[key] !== undefined && reader[key] !== writer[key]) problems.push(`${where}: ${key} ${JSON.stringify(reader[key])} added or changed`);
  }
  if (reader.uniqueItems === true && writer.uniqueItems !== true) problems.push(`${where}: uniqueItems added`);

  for (const key of COMBINATORS) {
    if (sortedJson(reader[key]) !== sortedJson(writer[key])) {
      problems.push(`${where}: ${key} changed (not checked locally: keep it unchanged or check against the registry)`);
    }
  }

  readsObject(reader, writer, where === '/' ? '' : where, problems);
  if (reader.items !== undefined || writer.items !== undefined) {
    if (Array.isArray(reader.items) || Array.isArray(writer.items)) {
      if (sortedJson(reader.items) !== sortedJson(writer.items)) problems.push(`${where}: tuple items changed (not checked locally)`);
    } else {
      reads(reader.items ?? true, writer.items ?? true, `${at}/items`, problems);
    }
  }
}

function narrowed(reader: Json, writer: Json, key: string, kind: 'max' | 'min', where: string, problems: string[]): void {
  const r = reader[key];
  if (typeof r !== 'number') return;
  const w = writer[key];
  const worse = typeof w !== 'number' || (kind === 'max' ? r < w : r > w);
  if (worse) problems.push(`${where}: ${key} ${typeof w === 'number' ? `${w} -> ${r}` : `${r} added`}`);
}

function readsObject(reader: Json, writer: Json, at: string, problems: string[]): void {
  const rProps = isObject(reader.properties) ? reader.properties : {};
  const wProps = isObject(writer.properties) ? writer.properties : {};
  const readerOpen = reader.additionalProperties !== false;
  const writerOpen = writer.additionalProperties !== false;
  for (const name of Object.keys(rProps).sort(compareText)) {
    const path = `${at}/properties/${name}`;
    if (name in wProps) {
      reads(rProps[name], wProps[name], path, problems);
    } else if (writerOpen) {
      const extra = isObject(writer.additionalProperties) ? writer.additionalProperties : true;
      // Under an open content model old messages may carry any value under this name.
      const sub: string[] = [];
      reads(rProps[name], extra, path, sub);
      if (sub.length) problems.push(`${path}: property added to an open content model (older messages may hold any value under "${name}")`);
    }
  }
  for (const name of Object.keys(wProps).sort(compareText)) {
    if (name in rProps) continue;
    const path = `${at}/properties/${name}`;
    if (!readerOpen) problems.push(`${path}: property removed from a closed content model`);
    else if (isObject(reader.additionalProperties)) reads(reader.additionalProperties, wProps[name], path, problems);
  }
  const wRequired = new Set(Array.isArray(writer.required) ? writer.required : []);
  for (const name of Array.isArray(reader.required) ? reader.required : []) {
    if (!wRequired.has(name)) problems.push(`${at}/required: property "${String(name)}" made required`);
  }
  if (!readerOpen && writerOpen) problems.push(`${at || '/'}: additionalProperties: false added (the content model was open)`);
  else if (isObject(reader.additionalProperties)) {
    reads(reader.additionalProperties, isObject(writer.additionalProperties) || writer.additionalProperties === false ? writer.additionalProperties : true, `${at}/additionalProperties`, problems);
  }
}

export const jsonSchemaSupport: FormatSupport = {
  validate(schema): SchemaProblem[] {
    if (typeof schema === 'boolean') return [];
    if (!isObject(schema)) return [{ message: 'a JSON Schema is an object (or true/false)' }];
    let draft: Draft = 'draft-07';
    if (typeof schema.$schema === 'string') {
      const named = draftOf(schema.$schema);
      if (!named) {
        // Never fetched: an unknown meta-schema is a mistake to fix, not a document to download.
        return [{
          code: CODES.schemaDialect,
          message: `$schema ${JSON.stringify(schema.$schema)} is not a JSON Schema draft meshform reads (it is never fetched); use one of ${Object.values(JSON_SCHEMA_DRAFTS).join(', ')}`,
          path: ['$schema'],
        }];
      }
      draft = named;
    }
    const own = jsonSchemaProblems(schema);
    const ajv = ajvFor(draft);
    try {
      if (ajv.validateSchema(schema)) return own;
    } catch (e) {
      return [...own, { message: `invalid JSON Schema: ${e instanceof Error ? e.message : String(e)}` }];
    }
    // ajv's errors below a place already explained (a `type` that is no type) only repeat it.
    const explained = own.filter((p) => !p.warning).map((p) => keywordPath(p.path ?? []));
    const rest = (ajv.errors ?? []).filter((e) => !explained.some((at) => isUnder(pathOf(e), at)));
    return [...own, ...rest.map((e) => ({ message: `invalid JSON Schema: ${pathOf(e).join('.') || 'schema'} ${e.message ?? 'is invalid'}`, path: pathOf(e) }))];
  },

  canonical: sortedJson,

  readProblems(reader, writer) {
    const problems: string[] = [];
    reads(reader, writer, '', problems);
    return problems;
  },

  readRecord(schema, payload) {
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch (e) {
      return `not JSON: ${(e as Error).message}`;
    }
    const validate = recordValidator(schema);
    if (validate(value)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ''}`);
    return `does not match the JSON Schema: ${errors.join('; ')}`;
  },

  fields(schema) {
    const out = new Map<string, string>();
    const walk = (node: unknown, prefix: string, depth: number) => {
      if (!isObject(node) || depth > 32) return;
      if (isObject(node.properties)) {
        for (const [name, sub] of Object.entries(node.properties)) {
          const at = prefix ? `${prefix}.${name}` : name;
          out.set(at, typeText(sub));
          walk(sub, at, depth + 1);
        }
      }
      if (isObject(node.items)) walk(node.items, `${prefix}[]`, depth + 1);
    };
    walk(schema, '', 0);
    return out;
  },
};
