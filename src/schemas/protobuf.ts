/**
 * Protobuf payloads (`.proto` text) through protobufjs: parsed and resolved (syntax errors carry
 * their line), registered as written (line ends and trailing spaces normalised), and compared
 * locally by field number: a message or a field number that disappears without being reserved, a
 * field whose number, name or type changes, are what registries (Apicurio) refuse.
 */
import * as protobuf from 'protobufjs';
import type { FormatSupport, SchemaProblem, SchemaValue } from './types';

const roots = new Map<string, protobuf.Root>();

function rootOf(text: string): protobuf.Root {
  let root = roots.get(text);
  if (!root) {
    const result = protobuf.parse(text, { keepCase: true, alternateCommentMode: true });
    root = result.root;
    for (const name of result.imports ?? []) {
      if (!name.startsWith('google/protobuf/')) throw new Error(`import "${name}": only google/protobuf/* imports are supported; register a self-contained .proto`);
    }
    // Well-known types (google/protobuf/*.proto) ship with protobufjs.
    if (result.imports?.length) for (const [file, json] of Object.entries(protobuf.common)) if (result.imports.includes(file)) root.addJSON((json as { nested: Record<string, protobuf.AnyNestedObject> }).nested);
    root.resolveAll();
    roots.set(text, root);
  }
  return root;
}

function messages(root: protobuf.Root): Map<string, protobuf.Type> {
  const out = new Map<string, protobuf.Type>();
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) out.set(nested.fullName.replace(/^\./, ''), nested);
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested);
    }
  };
  walk(root);
  for (const name of [...out.keys()]) if (name.startsWith('google.protobuf.')) out.delete(name);
  return out;
}

function fieldType(field: protobuf.Field): string {
  const resolved = field.resolvedType ? field.resolvedType.fullName.replace(/^\./, '') : field.type;
  const base = field instanceof protobuf.MapField ? `map<${field.keyType}, ${resolved}>` : resolved;
  return field.repeated ? `repeated ${base}` : base;
}

function isReserved(type: protobuf.Type, id: number, name: string): boolean {
  return (type.reserved ?? []).some((r) => (typeof r === 'string' ? r === name : id >= r[0] && id <= r[1]));
}

function text(schema: SchemaValue): string {
  if (typeof schema !== 'string') throw new Error('a Protobuf schema is .proto text');
  return schema;
}

export const protobufSupport: FormatSupport = {
  validate(schema): SchemaProblem[] {
    if (typeof schema !== 'string') return [{ message: 'a Protobuf schema is .proto text (a string, or a $ref to a .proto file)' }];
    try {
      const root = rootOf(schema);
      if (messages(root).size === 0) return [{ message: 'the .proto defines no message' }];
      return [];
    } catch (e) {
      const message = (e as Error).message;
      const line = /\(line (\d+)\)/.exec(message);
      return [{ message: `invalid Protobuf schema: ${message.replace(/\s*\(line \d+\)/, '')}`, line: line ? Number(line[1]) : undefined }];
    }
  },

  canonical(schema) {
    const lines = text(schema).replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
    return `${lines.join('\n').trim()}\n`;
  },

  readProblems(reader, writer) {
    const r = messages(rootOf(text(reader)));
    const w = messages(rootOf(text(writer)));
    const problems: string[] = [];
    for (const [name, wType] of w) {
      const rType = r.get(name);
      if (!rType) {
        problems.push(`message ${name} removed`);
        continue;
      }
      for (const wField of wType.fieldsArray) {
        const rField = rType.fieldsById[wField.id];
        if (!rField) {
          const byName = rType.fields[wField.name];
          if (byName) problems.push(`${name}.${wField.name}: field number changed ${wField.id} -> ${byName.id}`);
          else if (!isReserved(rType, wField.id, wField.name)) problems.push(`${name}.${wField.name} (${wField.id}): field removed without reserving its number`);
          continue;
        }
        if (rField.name !== wField.name) problems.push(`${name} field ${wField.id}: renamed ${wField.name} -> ${rField.name}`);
        const before = fieldType(wField);
        const after = fieldType(rField);
        // Registries refuse every type change, even between wire-compatible scalars (int32 -> int64).
        if (before !== after) problems.push(`${name}.${wField.name} (${wField.id}): type changed from ${before} to ${after}`);
      }
    }
    return problems;
  },

  fields(schema) {
    const out = new Map<string, string>();
    for (const [name, type] of messages(rootOf(text(schema)))) {
      for (const field of type.fieldsArray) out.set(`${name}.${field.name}`, fieldType(field));
    }
    return out;
  },
};
