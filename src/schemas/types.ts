/**
 * Message schemas as a data contract: the formats meshform registers, the compatibility levels a
 * Confluent-compatible registry enforces, and what each format module offers.
 */
export { COMPATIBILITY_LEVELS, DEFAULT_COMPATIBILITY, isCompatibility } from '../vocabulary/schema-kinds';
export type { Compatibility, SchemaType } from '../vocabulary/schema-kinds';

/**
 * A schema as written: the plain value (Avro and JSON Schema, `$ref`s already followed) or the
 * text (Protobuf).
 */
export type SchemaValue = unknown;

/** Something wrong in a schema; `path` is inside the schema value, `line` (1-based) inside a text schema. */
export interface SchemaProblem {
  /** The diagnostic code, when not MF-SCHEMA-INVALID. */
  code?: string;
  message: string;
  path?: ReadonlyArray<string | number>;
  line?: number;
}

export interface FormatSupport {
  /** Problems that make the schema unusable (the registry would refuse it). */
  validate(schema: SchemaValue): SchemaProblem[];
  /** The text registered: stable for equal schemas, so registering it again is a no-op. Call only on a valid schema. */
  canonical(schema: SchemaValue): string;
  /**
   * Why a consumer using `reader` cannot read every message written with `writer` (empty: it can).
   * Call only on valid schemas.
   */
  readProblems(reader: SchemaValue, writer: SchemaValue): string[];
  /** Every field a consumer may rely on, by dotted path, with a short type description. */
  fields(schema: SchemaValue): Map<string, string>;
}
