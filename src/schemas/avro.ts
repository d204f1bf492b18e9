/**
 * Avro schemas through avsc: parsing (the Avro specification's rules), the registered text, and
 * schema resolution (Avro's own definition of "a reader can read a writer's data", which is what
 * Confluent-compatible registries check).
 */
import * as avro from 'avsc';
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

export const avroSupport: FormatSupport = {
  validate(schema): SchemaProblem[] {
    if (schema === null || (typeof schema !== 'object' && typeof schema !== 'string')) {
      return [{ message: 'an Avro schema is a JSON object, array (union) or type name' }];
    }
    try {
      typeOf(schema);
      return [];
    } catch (e) {
      return [{ message: `invalid Avro schema: ${(e as Error).message}` }];
    }
  },

  canonical(schema) {
    // The full schema (defaults, docs, aliases and custom attributes kept: defaults decide
    // compatibility), in avsc's fixed key order.
    return JSON.stringify(typeOf(schema).schema({ exportAttrs: true }));
  },

  readProblems(reader, writer) {
    try {
      typeOf(reader).createResolver(typeOf(writer));
      return [];
    } catch (e) {
      return [(e as Error).message];
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
