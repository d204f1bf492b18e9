/**
 * Message schemas written the way Kafka's `common/message/*.json` files describe them: every field
 * says in which versions it exists, in which it may be null and whether it is a tagged field of
 * the flexible versions. One generic codec (codec.ts) reads and writes every version of every API
 * from these declarations, so supporting another version is a matter of declaring its fields.
 */

export type ScalarType =
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** Inclusive; `max` is Infinity for Kafka's `N+`. */
export interface VersionRange {
  min: number;
  max: number;
}

export interface Field {
  /** The camelCase key the decoded object uses, e.g. `errorCode` for Kafka's `ErrorCode`. */
  name: string;
  /** A scalar, or the fields of a nested struct. */
  type: ScalarType | Field[];
  array: boolean;
  versions: VersionRange;
  nullableVersions: VersionRange | null;
  /** Set for a tagged field: written in the tagged section of flexible versions only. */
  tag: number | null;
  defaultValue?: unknown;
}

export interface MessageSchema {
  flexibleVersions: VersionRange | null;
  fields: Field[];
}

export interface FieldOptions {
  nullable?: string;
  tag?: number;
  default?: unknown;
}

const NO_VERSIONS: VersionRange = { min: 0, max: -1 };

/** Parses Kafka's version notation: `3+`, `1-4`, `2`, `none`. */
export function versionRange(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS;
  const open = /^(\d+)\+$/.exec(text);
  if (open) return { min: Number(open[1]), max: Infinity };
  const closed = /^(\d+)-(\d+)$/.exec(text);
  if (closed) return { min: Number(closed[1]), max: Number(closed[2]) };
  if (/^\d+$/.test(text)) return { min: Number(text), max: Number(text) };
  throw new Error(`invalid version range '${text}'`);
}

export function inRange(range: VersionRange | null, version: number): boolean {
  return range !== null && version >= range.min && version <= range.max;
}

export function field(name: string, type: ScalarType | Field[], versions: string, options: FieldOptions = {}): Field {
  return {
    name,
    type,
    array: false,
    versions: versionRange(versions),
    nullableVersions: options.nullable === undefined ? null : versionRange(options.nullable),
    tag: options.tag ?? null,
    defaultValue: options.default,
  };
}

/** An array of scalars or of structs (`[]int32`, `[]CreatableTopic`). */
export function arrayOf(name: string, element: ScalarType | Field[], versions: string, options: FieldOptions = {}): Field {
  return { ...field(name, element, versions, options), array: true };
}

export function message(flexibleVersions: string, fields: Field[]): MessageSchema {
  return { flexibleVersions: versionRange(flexibleVersions), fields };
}
