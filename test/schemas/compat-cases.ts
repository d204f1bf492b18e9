/**
 * Schema evolutions whose compatibility the real registry decides; meshform's local checks
 * (`meshform breaking`, the pre-check of a level change) must agree with it. The registry's
 * verdicts are kept in recorded/registry-verdicts.txt (written by compat-oracle.test.ts with the
 * registry peer, MESHFORM_RECORD=1, and checked against the live registry whenever it runs), so
 * compat-verdicts.test.ts holds meshform to them on any machine.
 */
import { join } from 'node:path';
import type { SchemaType } from '../../src/schemas';

export const LEVELS = ['BACKWARD', 'FORWARD', 'FULL'] as const;

export const VERDICTS_FILE = join(__dirname, 'recorded', 'registry-verdicts.txt');

/** `<case> <LEVEL>: compatible|incompatible`, one line of the recording. */
export function verdictLine(title: string, compatible: boolean): string {
  return `${title}: ${compatible ? 'compatible' : 'incompatible'}`;
}

/**
 * Where Apicurio 3.0.9 and meshform knowingly differ: its FULL level for Protobuf checks one
 * direction only (a field added or removed passes FULL although it fails FORWARD or BACKWARD);
 * meshform checks both directions, as FULL means.
 */
export const KNOWN_DIFFERENCES = new Set(['protobuf: field added FULL', 'protobuf: field removed FULL']);

export interface EvolutionCase {
  name: string;
  type: SchemaType;
  before: unknown;
  after: unknown;
}

const rec = (fields: unknown[]) => ({ type: 'record', name: 'R', namespace: 'acme', fields });
const S = { name: 'a', type: 'string' };
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties,
  ...extra,
});
const closed = { additionalProperties: false };
const proto = (body: string) => `syntax = "proto3";\npackage acme;\n\nmessage M {\n${body}\n}\n`;

export const EVOLUTIONS: EvolutionCase[] = [
  { name: 'avro: optional field added (with default)', type: 'AVRO', before: rec([S]), after: rec([S, { name: 'b', type: ['null', 'string'], default: null }]) },
  { name: 'avro: field added without default', type: 'AVRO', before: rec([S]), after: rec([S, { name: 'b', type: 'string' }]) },
  { name: 'avro: field removed', type: 'AVRO', before: rec([S, { name: 'b', type: 'string' }]), after: rec([S]) },
  { name: 'avro: field with default removed', type: 'AVRO', before: rec([S, { name: 'b', type: 'string', default: 'x' }]), after: rec([S]) },
  { name: 'avro: string -> int', type: 'AVRO', before: rec([S]), after: rec([{ name: 'a', type: 'int' }]) },
  { name: 'avro: int -> long (promotion)', type: 'AVRO', before: rec([{ name: 'a', type: 'int' }]), after: rec([{ name: 'a', type: 'long' }]) },
  { name: 'avro: long -> int', type: 'AVRO', before: rec([{ name: 'a', type: 'long' }]), after: rec([{ name: 'a', type: 'int' }]) },
  { name: 'avro: string -> nullable string', type: 'AVRO', before: rec([S]), after: rec([{ name: 'a', type: ['null', 'string'] }]) },
  { name: 'avro: enum symbol added', type: 'AVRO', before: rec([{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } }]), after: rec([{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] } }]) },
  { name: 'avro: record renamed', type: 'AVRO', before: rec([S]), after: { ...rec([S]), name: 'Other' } },

  { name: 'json: optional property added to a closed model', type: 'JSON', before: obj({ a: { type: 'string' } }, closed), after: obj({ a: { type: 'string' }, b: { type: 'string' } }, closed) },
  { name: 'json: optional property added to an open model', type: 'JSON', before: obj({ a: { type: 'string' } }), after: obj({ a: { type: 'string' }, b: { type: 'string' } }) },
  { name: 'json: property removed from a closed model', type: 'JSON', before: obj({ a: { type: 'string' }, b: { type: 'string' } }, closed), after: obj({ a: { type: 'string' } }, closed) },
  { name: 'json: property removed from an open model', type: 'JSON', before: obj({ a: { type: 'string' }, b: { type: 'string' } }), after: obj({ a: { type: 'string' } }) },
  { name: 'json: property retyped string -> integer', type: 'JSON', before: obj({ a: { type: 'string' } }), after: obj({ a: { type: 'integer' } }) },
  { name: 'json: integer -> number', type: 'JSON', before: obj({ a: { type: 'integer' } }), after: obj({ a: { type: 'number' } }) },
  { name: 'json: required property added', type: 'JSON', before: obj({ a: { type: 'string' } }, closed), after: obj({ a: { type: 'string' } }, { ...closed, required: ['a'] }) },
  { name: 'json: required dropped', type: 'JSON', before: obj({ a: { type: 'string' } }, { ...closed, required: ['a'] }), after: obj({ a: { type: 'string' } }, closed) },
  { name: 'json: open model closed', type: 'JSON', before: obj({ a: { type: 'string' } }), after: obj({ a: { type: 'string' } }, closed) },
  { name: 'json: closed model opened', type: 'JSON', before: obj({ a: { type: 'string' } }, closed), after: obj({ a: { type: 'string' } }) },
  { name: 'json: maxLength lowered', type: 'JSON', before: obj({ a: { type: 'string', maxLength: 10 } }), after: obj({ a: { type: 'string', maxLength: 5 } }) },
  { name: 'json: enum value added', type: 'JSON', before: obj({ a: { type: 'string', enum: ['x', 'y'] } }), after: obj({ a: { type: 'string', enum: ['x', 'y', 'z'] } }) },

  { name: 'protobuf: field added', type: 'PROTOBUF', before: proto('  string a = 1;'), after: proto('  string a = 1;\n  string b = 2;') },
  { name: 'protobuf: field removed', type: 'PROTOBUF', before: proto('  string a = 1;\n  string b = 2;'), after: proto('  string a = 1;') },
  { name: 'protobuf: field retyped string -> int32', type: 'PROTOBUF', before: proto('  string a = 1;'), after: proto('  int32 a = 1;') },
  { name: 'protobuf: int32 -> int64 (same wire type)', type: 'PROTOBUF', before: proto('  int32 a = 1;'), after: proto('  int64 a = 1;') },
  { name: 'protobuf: field renamed', type: 'PROTOBUF', before: proto('  string a = 1;'), after: proto('  string b = 1;') },
];
