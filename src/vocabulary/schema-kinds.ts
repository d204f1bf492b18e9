/**
 * The words the mesh model and the schema modules share: which formats meshform registers and
 * the compatibility levels a Confluent-compatible registry enforces. Here, below both, so the
 * model names them without an import up into src/schemas (which re-exports them).
 */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

/** Confluent Schema Registry's levels (Apicurio's ccompat API maps them onto its COMPATIBILITY rule). */
export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type Compatibility = (typeof COMPATIBILITY_LEVELS)[number];

export const DEFAULT_COMPATIBILITY: Compatibility = 'BACKWARD';

export function isCompatibility(value: unknown): value is Compatibility {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}
