/**
 * A message schema, readably: JSON Schema and Avro as a table of fields (nested ones indented,
 * arrays as `name[]`), Protobuf as its messages' fields, anything else as written; the source is
 * one click away. The one place the catalog renders a schema.
 */
import type { VNode } from 'preact';
import { FORMATS, type SchemaType } from '../../schemas';

/** A schema to show: one of the formats meshform reads (the model's), or another one as written. */
export type ShownSchema = { type: SchemaType; schema: unknown } | { type: 'OTHER'; format: string; schema: unknown };

interface Row {
  name: string;
  depth: number;
  type: string;
  required: boolean;
  notes: string[];
}

/** Deeper fields are indented no further (catalog.css has depth-1 .. depth-6). */
const MAX_INDENT = 6;

export function renderSchema(shown: ShownSchema): VNode {
  if (shown.type === 'OTHER') {
    return (
      <div>
        <p class="muted">
          Schema format <code>{shown.format}</code>, shown as written:
        </p>
        <pre class="source">{sourceText(shown.schema)}</pre>
      </div>
    );
  }
  const rows: Row[] = [];
  if (shown.type === 'JSON') walk(shown.schema, '', 0, false, new Set(), rows);
  else if (shown.type === 'AVRO') avroRows(shown.schema, rows);
  else protobufRows(shown.schema, rows);
  const root = rows[0];
  const fields = rows.slice(1);
  return (
    <div>
      {fields.length === 0 ? (
        <p>
          <code>{root?.type ?? 'any'}</code>
          {root && root.notes.length > 0 && <span class="muted"> ({root.notes.join('; ')})</span>}
          {(root?.type === 'object' || root?.type === 'record') && <span class="muted"> with no declared fields</span>}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="schema">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Required</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((r) => (
                <tr>
                  <th scope="row" class={`depth-${Math.min(r.depth, MAX_INDENT)}`}>
                    <code>{r.name}</code>
                  </th>
                  <td>
                    <code>{r.type}</code>
                  </td>
                  <td>{r.required ? 'yes' : ''}</td>
                  <td>{r.notes.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details>
        <summary>Schema source</summary>
        <pre class="source">{sourceText(shown.schema)}</pre>
      </details>
    </div>
  );
}

/** Avro: record fields (nested records indented), their types, defaults and docs. A field is required when it has no default. */
function avroRows(schema: unknown, rows: Row[]): void {
  const seen = new Set<string>();
  const typeName = (t: unknown): string => {
    if (typeof t === 'string') return t;
    if (Array.isArray(t)) return t.map(typeName).join(' | ');
    if (isSchema(t)) {
      if (typeof t.logicalType === 'string') return `${String(t.type)} (${t.logicalType}${t.precision !== undefined ? ` ${t.precision},${t.scale ?? 0}` : ''})`;
      if (t.type === 'array') return `array of ${typeName(t.items)}`;
      if (t.type === 'map') return `map of ${typeName(t.values)}`;
      if (typeof t.name === 'string') return `${String(t.type)} ${t.name}`;
      return typeName(t.type);
    }
    return 'any';
  };
  const nested = (t: unknown): Schema | undefined => {
    if (Array.isArray(t)) return t.map(nested).find((x) => x !== undefined);
    if (!isSchema(t)) return undefined;
    if (t.type === 'record') return t;
    if (t.type === 'array') return nested(t.items);
    if (t.type === 'map') return nested(t.values);
    return undefined;
  };
  const record = (r: Schema, prefix: string, depth: number) => {
    const key = String(r.namespace ?? '') + '.' + String(r.name ?? '');
    if (seen.has(key)) return;
    seen.add(key);
    for (const field of Array.isArray(r.fields) ? (r.fields as Schema[]) : []) {
      const name = prefix ? `${prefix}.${String(field.name)}` : String(field.name);
      const notes: string[] = [];
      if (typeof field.doc === 'string') notes.push(field.doc);
      if (isSchema(field.type) && Array.isArray(field.type.symbols)) notes.push(`one of ${(field.type.symbols as unknown[]).join(', ')}`);
      if ('default' in field) notes.push(`default ${JSON.stringify(field.default)}`);
      rows.push({ name, depth, type: typeName(field.type), required: !('default' in field), notes });
      const inner = nested(field.type);
      if (inner) record(inner, isSchema(field.type) && field.type.type === 'array' ? `${name}[]` : name, depth + 1);
    }
    seen.delete(key);
  };
  const root = isSchema(schema) ? schema : undefined;
  rows.push({ name: '', depth: 0, type: typeName(schema), required: false, notes: root && typeof root.doc === 'string' ? [root.doc] : [] });
  if (root?.type === 'record') record(root, '', 1);
}

/** Protobuf: each message's fields, as meshform's Protobuf support lists them (`Message.field`). */
function protobufRows(schema: unknown, rows: Row[]): void {
  rows.push({ name: '', depth: 0, type: 'protobuf', required: false, notes: [] });
  const fields = FORMATS.PROTOBUF.fields(schema);
  const packageName = typeof schema === 'string' ? /^\s*package\s+([\w.]+)\s*;/m.exec(schema)?.[1] : undefined;
  for (const [path, type] of fields) {
    rows.push({ name: packageName && path.startsWith(packageName + '.') ? path.slice(packageName.length + 1) : path, depth: 1, type, required: false, notes: [] });
  }
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(schema: unknown, name: string, depth: number, required: boolean, ancestors: Set<unknown>, rows: Row[]): void {
  if (!isSchema(schema)) {
    rows.push({ name, depth, type: schema === false ? 'never' : 'any', required, notes: [] });
    return;
  }
  if (typeof schema.$ref === 'string') {
    // The parser leaves a cyclic reference as it is written.
    rows.push({ name, depth, type: `see ${schema.$ref}`, required, notes: ['recursive: the schema refers to itself'] });
    return;
  }
  if (ancestors.has(schema)) {
    rows.push({ name, depth, type: typeOf(schema), required, notes: ['recursive: same schema as an enclosing field'] });
    return;
  }
  rows.push({ name, depth, type: typeOf(schema), required, notes: notesOf(schema) });
  const inner = new Set(ancestors).add(schema);
  const props = isSchema(schema.properties) ? schema.properties : {};
  const requiredNames = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  for (const [key, value] of Object.entries(props)) {
    walk(value, name ? `${name}.${key}` : key, depth + 1, requiredNames.includes(key), inner, rows);
  }
  if (isSchema(schema.items) && (isSchema(schema.items.properties) || schema.items.items)) {
    walk(schema.items, `${name || 'items'}[]`, depth + 1, false, inner, rows);
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const variants = schema[keyword];
    if (!Array.isArray(variants)) continue;
    variants.forEach((variant, i) => walk(variant, `${name || 'payload'} (${keyword} ${i + 1})`, depth + 1, false, inner, rows));
  }
}

function typeOf(schema: Schema): string {
  if ('const' in schema) return `const ${JSON.stringify(schema.const)}`;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  let text = types.join(' | ') || (schema.properties ? 'object' : schema.oneOf ? 'one of' : schema.anyOf ? 'any of' : schema.allOf ? 'all of' : 'any');
  if (types.includes('array') && isSchema(schema.items)) text = `array of ${typeOf(schema.items)}`;
  if (typeof schema.format === 'string') text += ` (${schema.format})`;
  return text;
}

const CONSTRAINTS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'multipleOf'];

function notesOf(schema: Schema): string[] {
  const notes: string[] = [];
  if (typeof schema.title === 'string') notes.push(schema.title);
  if (typeof schema.description === 'string') notes.push(schema.description);
  if (Array.isArray(schema.enum)) notes.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  for (const key of CONSTRAINTS) if (key in schema) notes.push(`${key} ${JSON.stringify(schema[key])}`);
  if ('default' in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) notes.push(`e.g. ${JSON.stringify(schema.examples[0])}`);
  if (schema.deprecated === true) notes.push('deprecated');
  return notes;
}

/** The payload as indented JSON without the parser's own keys; an object met again (a shared or cyclic $ref) is not expanded twice. */
function sourceText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  const seen: unknown[] = [];
  return JSON.stringify(
    payload,
    function (this: unknown, key, value) {
      if (key.startsWith('x-parser-')) return undefined;
      if (typeof value === 'object' && value !== null) {
        if (seen.includes(value)) return '(shown above)';
        seen.push(value);
      }
      return value;
    },
    2,
  );
}
