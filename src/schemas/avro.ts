/**
 * Avro schemas through avsc: parsing (the Avro specification's rules), the registered text, and
 * schema resolution (Avro's own definition of "a reader can read a writer's data", which is what
 * Confluent-compatible registries check).
 */
import * as avro from 'avsc';
import { avroAttributeTypos, avroProblems } from './avro-check';
import { sortedJson } from './sorted-json';
import type { FormatSupport, SchemaProblem, SchemaValue } from './types';

const parsed = new WeakMap<object, avro.Type>();

function typeOf(schema: SchemaValue): avro.Type {
  const key = typeof schema === 'object' && schema !== null ? schema : undefined;
  const known = key && parsed.get(key);
  if (known) return known;
  // A fresh registry per schema: named types never leak from one schema into another.
  const type = avro.Type.forSchema(schema as avro.Schema, { registry: {}, noAnonymousTypes: false });
  if (key) parsed.set(key, type);
  return type;
}

function describe(type: avro.Type): string {
  if (type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType) {
    return `[${type.types.map(describe).join(', ')}]`;
  }
  if (type instanceof avro.types.ArrayType) return `array<${describe(type.itemsType)}>`;
  if (type instanceof avro.types.MapType) return `map<${describe(type.valuesType as avro.Type)}>`;
  const written = type.schema({ exportAttrs: true }) as { logicalType?: unknown };
  const logical = typeof written === 'object' && typeof written.logicalType === 'string' ? `(${written.logicalType})` : '';
  return (type.name ?? type.typeName) + logical;
}

/** Which record fields make resolution fail, by dotted path (avsc's own message names no field). */
function fieldProblems(reader: avro.Type, writer: avro.Type, prefix: string): string[] {
  if (!(reader instanceof avro.types.RecordType) || !(writer instanceof avro.types.RecordType)) return [];
  const problems: string[] = [];
  for (const field of reader.fields) {
    const at = prefix ? `${prefix}.${field.name}` : field.name;
    const written = writer.fields.find((f) => f.name === field.name || (field.aliases ?? []).includes(f.name));
    if (!written) {
      if (field.defaultValue() === undefined) problems.push(`field ${at} added without a default`);
      continue;
    }
    try {
      field.type.createResolver(written.type);
    } catch (e) {
      const nested = fieldProblems(field.type, written.type, at);
      problems.push(...(nested.length > 0 ? nested : [`field ${at}: ${describe(written.type)} -> ${describe(field.type)} (${(e as Error).message})`]));
    }
  }
  return problems;
}

export const avroSupport: FormatSupport = {
  validate(schema): SchemaProblem[] {
    if (schema === null || (typeof schema !== 'object' && typeof schema !== 'string')) {
      return [{ message: 'an Avro schema is a JSON object, array (union) or type name' }];
    }
    try {
      typeOf(schema);
    } catch (e) {
      return avroProblems(schema, (e as Error).message);
    }
    return avroAttributeTypos(schema);
  },

  // The schema as written, keys sorted: defaults, docs, aliases, logical types and custom
  // attributes all kept (avsc's own export drops logical types it has no implementation for).
  // `{type: string}` is written as "string", as Avro's canonical form writes a bare primitive.
  canonical: (schema) => {
    const only = typeof schema === 'object' && schema !== null && !Array.isArray(schema) && Object.keys(schema).length === 1 ? (schema as { type?: unknown }).type : undefined;
    return sortedJson(typeof only === 'string' ? only : schema);
  },

  readProblems(reader, writer) {
    const r = typeOf(reader);
    const w = typeOf(writer);
    try {
      r.createResolver(w);
      return [];
    } catch (e) {
      const detailed = fieldProblems(r, w, '');
      return detailed.length > 0 ? detailed : [(e as Error).message];
    }
  },

  readRecord(schema, payload) {
    try {
      typeOf(schema).fromBuffer(payload);
      return undefined;
    } catch (e) {
      return `not Avro data of the schema: ${(e as Error).message}`;
    }
  },

  fields(schema) {
    const out = new Map<string, string>();
    const seen = new Set<avro.Type>();
    const walk = (type: avro.Type, prefix: string) => {
      if (type instanceof avro.types.RecordType) {
        if (seen.has(type)) return;
        seen.add(type);
        for (const field of type.fields) {
          const at = prefix ? `${prefix}.${field.name}` : field.name;
          out.set(at, describe(field.type));
          walk(field.type, at);
        }
        seen.delete(type);
      } else if (type instanceof avro.types.ArrayType) {
        walk(type.itemsType, `${prefix}[]`);
      } else if (type instanceof avro.types.MapType) {
        walk(type.valuesType as avro.Type, `${prefix}{}`);
      } else if (type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType) {
        for (const member of type.types) walk(member, prefix);
      }
    };
    walk(typeOf(schema), '');
    return out;
  },
};
