/**
 * The type names each schema format knows, and "did you mean" for a name it does not: the nearest
 * name by edit distance, or the format's own word for a type another format spells differently
 * (`int` in a JSON Schema is `integer`, `integer` in Avro is `int`, `int` in Protobuf is `int32`).
 */
import { nearest } from '../suggest';
import type { SchemaType } from './types';

export const AVRO_PRIMITIVES: readonly string[] = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];
export const AVRO_COMPLEX: readonly string[] = ['record', 'enum', 'array', 'map', 'fixed', 'error'];
export const JSON_SCHEMA_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
export const PROTOBUF_SCALARS: readonly string[] = [
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
];

/** Other languages' words for a type, by format: what a user coming from elsewhere writes first. */
const SYNONYMS: Record<SchemaType, Record<string, string>> = {
  AVRO: {
    integer: 'int', int32: 'int', int64: 'long', number: 'double', float64: 'double', float32: 'float',
    bool: 'boolean', str: 'string', text: 'string', binary: 'bytes', object: 'record', struct: 'record', list: 'array',
  },
  JSON: {
    int: 'integer', long: 'integer', int32: 'integer', int64: 'integer', float: 'number', double: 'number', decimal: 'number',
    bool: 'boolean', str: 'string', text: 'string', list: 'array', dict: 'object', map: 'object', record: 'object',
  },
  PROTOBUF: {
    int: 'int32', integer: 'int32', long: 'int64', short: 'int32', uint: 'uint32', ulong: 'uint64',
    boolean: 'bool', str: 'string', text: 'string', binary: 'bytes', number: 'double', float64: 'double', float32: 'float',
  },
};

/**
 * ` (did you mean "int"?)` for an unknown type name, or ''. `known` are the names valid where it is
 * written (the format's types and the schema's own named types).
 */
export function typeNameHint(format: SchemaType, word: string, known: readonly string[]): string {
  const synonym = SYNONYMS[format][word.toLowerCase()];
  const best = synonym !== undefined && known.includes(synonym) ? synonym : nearest(word, known);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
