/**
 * Message schemas: which `schemaFormat` means which registry schema type, and the checks meshform
 * runs without a registry (validity, the registered text, compatibility under a level, fields).
 */
import type { Compatibility, FormatSupport, SchemaType, SchemaValue } from './types';

export * from './types';

/**
 * Each format's module (avsc, protobufjs, ajv's 2019/2020 dialects) is loaded the first time a
 * schema of that format is read: a mesh without Avro never loads avsc.
 */
export const FORMATS: Readonly<Record<SchemaType, FormatSupport>> = Object.freeze({
  get AVRO(): FormatSupport {
    return (require('./avro') as typeof import('./avro')).avroSupport;
  },
  get JSON(): FormatSupport {
    return (require('./json-schema') as typeof import('./json-schema')).jsonSchemaSupport;
  },
  get PROTOBUF(): FormatSupport {
    return (require('./protobuf') as typeof import('./protobuf')).protobufSupport;
  },
});

/**
 * The registry schema type of an AsyncAPI `schemaFormat`; undefined for formats meshform does not
 * register (RAML, OpenAPI, ...). No format means the AsyncAPI Schema Object, a JSON Schema.
 */
export function schemaTypeOf(schemaFormat: string | undefined): SchemaType | undefined {
  if (schemaFormat === undefined) return 'JSON';
  const mediaType = schemaFormat.split(';')[0].trim().toLowerCase();
  if (/^application\/vnd\.aai\.asyncapi(\+json|\+yaml)?$/.test(mediaType)) return 'JSON';
  if (/^application\/schema(\+json|\+yaml)?$/.test(mediaType)) return 'JSON';
  if (/^application\/vnd\.apache\.avro(\+json|\+yaml)?$/.test(mediaType)) return 'AVRO';
  if (/^application\/vnd\.google\.protobuf$/.test(mediaType)) return 'PROTOBUF';
  return undefined;
}

/** Which directions a level checks, against the one older version meshform knows locally. */
export function directions(level: Compatibility): { backward: boolean; forward: boolean } {
  const base = level.replace(/_TRANSITIVE$/, '');
  return { backward: base === 'BACKWARD' || base === 'FULL', forward: base === 'FORWARD' || base === 'FULL' };
}

/**
 * Why `next` is not compatible with `previous` under `level` (empty: it is). Transitive levels are
 * checked against `previous` only: locally there is one older version, the registry keeps them all.
 */
export function compatibilityProblems(type: SchemaType, level: Compatibility, previous: SchemaValue, next: SchemaValue): string[] {
  const support = FORMATS[type];
  const { backward, forward } = directions(level);
  const problems: string[] = [];
  if (backward) problems.push(...support.readProblems(next, previous).map((p) => `new schema cannot read older messages: ${p}`));
  if (forward) problems.push(...support.readProblems(previous, next).map((p) => `older consumers cannot read new messages: ${p}`));
  return problems;
}
