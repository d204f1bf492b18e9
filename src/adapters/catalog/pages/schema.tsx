/**
 * A message payload, readably: JSON Schema as a table of fields (nested objects indented, arrays
 * as `name[]`), any other schema format as its source. The one place the catalog renders a
 * schema: when the model carries schemas (Avro, Protobuf), only this function learns them.
 */
import type { VNode } from 'preact';
import type { MessageInfo } from '../messages';

interface Row {
  name: string;
  depth: number;
  type: string;
  required: boolean;
  notes: string[];
}

/** Deeper fields are indented no further (catalog.css has depth-1 .. depth-6). */
const MAX_INDENT = 6;

const JSON_SCHEMA_FORMAT = /^application\/(schema\+json|schema\+yaml)|^application\/vnd\.aai\.asyncapi/;

export function renderSchema(message: MessageInfo): VNode {
  if (message.payload === undefined) return <p class="muted">No payload schema.</p>;
  const jsonSchema = !message.schemaFormat || JSON_SCHEMA_FORMAT.test(message.schemaFormat);
  if (!jsonSchema) {
    return (
      <div>
        <p class="muted">Schema format <code>{message.schemaFormat}</code>, shown as written:</p>
        <pre class="source">{sourceText(message.payload)}</pre>
      </div>
    );
  }
  const rows: Row[] = [];
  walk(message.payload, '', 0, false, new Set(), rows);
  const root = rows[0];
  const fields = rows.slice(1);
  return (
    <div>
      {fields.length === 0 ? (
        <p>
          Payload: <code>{root?.type ?? 'any'}</code>
          {root && root.notes.length > 0 && <span class="muted"> ({root.notes.join('; ')})</span>}
          {root?.type === 'object' && <span class="muted"> with no declared fields</span>}
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
        <pre class="source">{sourceText(message.payload)}</pre>
      </details>
    </div>
  );
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
