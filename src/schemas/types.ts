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

/**
 * Something wrong in a schema; `path` is inside the schema value, `line` and `col` (1-based) inside
 * a text schema. A `warning` (a likely typo that is still a valid schema) does not make it unusable.
 */
export interface SchemaProblem {
  /** The diagnostic code, when not MF-SCHEMA-INVALID. */
  code?: string;
  message: string;
  path?: ReadonlyArray<string | number>;
  line?: number;
  col?: number;
  /** The problem is the key at the end of `path` (a misspelt keyword), not its value. */
  key?: boolean;
  warning?: boolean;
}

export interface FormatSupport {
  /** Problems that make the schema unusable (the registry would refuse it), and warnings (`warning: true`) that do not. */
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
  /**
   * Why `payload` (a record's key or value, without the Confluent frame) is not data of `schema`;
   * undefined when it is. Call only on a valid schema. `indexes`: Protobuf's message indexes
   * (which message of the file; `[0]`, the first, when absent).
   */
  readRecord(schema: SchemaValue, payload: Buffer, indexes?: readonly number[]): string | undefined;
}
