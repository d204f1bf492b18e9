/**
 * Protobuf payloads (`.proto` text) through protobufjs: parsed and resolved (syntax errors carry
 * their line), registered as written (line ends and trailing spaces normalised), and compared
 * locally by field number: a message or a field number that disappears without being reserved, a
 * field whose number, name or type changes, are what registries (Apicurio) refuse.
 */
import * as protobuf from 'protobufjs';
import { type ProtoLayout, type Token, protoLayout } from './proto-layout';
import { PROTOBUF_SCALARS, typeNameHint } from './type-names';
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

/**
 * The message Confluent's message indexes name: the file's top-level messages in the order they are
 * written (inside its package), then nested messages by position.
 */
function messageAt(root: protobuf.Root, indexes: readonly number[]): protobuf.Type | undefined {
  let scope: protobuf.NamespaceBase = root;
  // Down the package's namespaces to where the file's own declarations are.
  for (;;) {
    const own = scope.nestedArray.filter((n) => !(scope === root && n.name === 'google'));
    const only = own.length === 1 ? own[0] : undefined;
    if (!(only instanceof protobuf.Namespace) || only instanceof protobuf.Type || only instanceof protobuf.Service) break;
    scope = only;
  }
  let type: protobuf.Type | undefined;
  for (const index of indexes) {
    const candidates: protobuf.Type[] = (type ?? scope).nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
    type = candidates[index];
    if (!type) return undefined;
  }
  return type;
}

/**
 * The first place where `bytes` are not well-formed Protobuf wire data for `type`: a length past
 * the end, a truncated varint or fixed field, an unknown wire type. (protobufjs's decoder clamps a
 * string whose length runs past the end instead of refusing it.) Message fields are walked too.
 */
function wireProblem(bytes: Uint8Array, type: protobuf.Type | undefined, depth = 0): string | undefined {
  let pos = 0;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= bytes.length) return undefined;
      const byte = bytes[pos++];
      if (shift < 28) value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const at = pos;
    const tag = varint();
    if (tag === undefined) return `a field tag at byte ${at} is cut off`;
    const number = tag >>> 3;
    const wire = tag & 7;
    if (number === 0) return `field number 0 at byte ${at}`;
    if (wire === 0) {
      if (varint() === undefined) return `field ${number}: its varint at byte ${at} is cut off`;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > bytes.length) return `field ${number}: its ${wire === 1 ? 8 : 4} bytes at byte ${at} run past the end`;
    } else if (wire === 2) {
      const length = varint();
      if (length === undefined || pos + length > bytes.length) return `field ${number}: its length at byte ${at} runs past the end of the data`;
      const field = type?.fieldsById[number];
      const nested = field?.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
      if (nested && depth < 32) {
        const inner = wireProblem(bytes.subarray(pos, pos + length), nested, depth + 1);
        if (inner) return `field ${field!.name}: ${inner}`;
      }
      pos += length;
    } else if (wire !== 3 && wire !== 4) {
      return `field ${number} at byte ${at} has wire type ${wire}, which does not exist`;
    }
  }
  return undefined;
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

const at = (token: Token) => ({ line: token.line, col: token.col });

/** Field numbers and enum values protobufjs accepts but protoc and registries refuse. */
function numberProblems(layout: ProtoLayout): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const f of layout.fields) {
    if (f.number < 1 || f.number > 536_870_911) problems.push({ message: `field ${f.name} has number ${f.number}: field numbers are 1 to 536870911`, ...at(f.number_) });
    else if (f.number >= 19_000 && f.number <= 19_999) problems.push({ message: `field ${f.name} has number ${f.number}: 19000-19999 are reserved for the Protocol Buffers implementation`, ...at(f.number_) });
  }
  if (layout.syntax?.text.slice(1, -1) === 'proto3') {
    const firsts = new Map<string, (typeof layout.enumValues)[number]>();
    for (const v of layout.enumValues) if (!firsts.has(v.enumName)) firsts.set(v.enumName, v);
    for (const v of firsts.values()) {
      if (v.number !== 0) problems.push({ message: `the first value of enum ${v.enumName} is ${v.number}: in proto3 it must be 0 (the default)`, ...at(v.number_) });
    }
  }
  return problems;
}

/** protobufjs's message, at the token it is about. */
function placed(raw: string, layout: ProtoLayout): SchemaProblem {
  const message = `invalid Protobuf schema: ${raw.replace(/\s*\(line \d+\)/, '')}`;
  const inType = (name: string) => (f: ProtoLayout['fields'][number]) => f.message === name.replace(/^\./, '') || f.message.endsWith(`.${name.replace(/^\./, '')}`);
  const unknown = /^no such Type or Enum '([^']+)' in Type (\S+)/.exec(raw);
  if (unknown) {
    const field = layout.fields.find((f) => inType(unknown[2])(f) && (f.type === unknown[1] || f.type.includes(unknown[1])));
    const known = [...PROTOBUF_SCALARS, ...layout.typeNames];
    const text = `unknown type "${unknown[1]}" in message ${unknown[2].replace(/^\./, '')}${typeNameHint('PROTOBUF', unknown[1], known)}`;
    return field ? { message: text, ...at(field.type_) } : { message: text };
  }
  const duplicate = /^duplicate (id|name) '?([^' ]+)'? in Type (\S+)/.exec(raw);
  if (duplicate) {
    const same = layout.fields.filter((f) => inType(duplicate[3])(f) && (duplicate[1] === 'id' ? String(f.number) === duplicate[2] : f.name === duplicate[2]));
    const second = same[1];
    const text = duplicate[1] === 'id' ? `field number ${duplicate[2]} is used twice in message ${duplicate[3]}` : `field ${duplicate[2]} is declared twice in message ${duplicate[3]}`;
    return second ? { message: text, ...at(duplicate[1] === 'id' ? second.number_ : second.name_) } : { message: text };
  }
  if (/^Unknown (edition|syntax)/.test(raw) && layout.syntax) return { message: `${message}: use syntax = "proto3" or "proto2"`, ...at(layout.syntax) };
  const importName = /^import "([^"]+)"/.exec(raw)?.[1];
  const imported = importName !== undefined ? layout.imports.find((i) => i.name === importName) : undefined;
  if (imported) return { message, ...at(imported.at) };
  const line = /\(line (\d+)\)/.exec(raw);
  if (!line) return { message };
  const lineNo = Number(line[1]);
  const illegal = /^illegal (?:token|name|id|value|type|string) '([^']*)'/.exec(raw)?.[1];
  const index = layout.tokens.findIndex((t) => t.line === lineNo && t.text === illegal);
  if (index < 0) return { message, line: lineNo };
  const token = layout.tokens[index];
  // "';' expected" at the first token of a line: the `;` is missing at the end of the statement before it.
  const before = layout.tokens[index - 1];
  if (/';' expected/.test(raw) && before && before.line < token.line) {
    return { message: `${message} (after ${before.text})`, line: before.line, col: before.col + before.text.length };
  }
  return { message, ...at(token) };
}

export const protobufSupport: FormatSupport = {
  validate(schema): SchemaProblem[] {
    if (typeof schema !== 'string') return [{ message: 'a Protobuf schema is .proto text (a string, or a $ref to a .proto file)' }];
    const layout = protoLayout(schema);
    try {
      const root = rootOf(schema);
      if (messages(root).size === 0) return [{ message: 'the .proto defines no message' }];
      return numberProblems(layout);
    } catch (e) {
      return [placed((e as Error).message, layout)];
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

  readRecord(schema, payload, indexes = [0]) {
    const type = messageAt(rootOf(text(schema)), indexes);
    if (!type) return `message indexes [${indexes.join(', ')}] name no message of the schema`;
    const malformed = wireProblem(payload, type);
    if (malformed) return `not Protobuf data of ${type.name}: ${malformed}`;
    try {
      const message = type.decode(payload);
      const problem = type.verify(message);
      return problem ? `not a valid ${type.name}: ${problem}` : undefined;
    } catch (e) {
      return `not Protobuf data of ${type.name}: ${(e as Error).message}`;
    }
  },

  fields(schema) {
    const out = new Map<string, string>();
    for (const [name, type] of messages(rootOf(text(schema)))) {
      for (const field of type.fieldsArray) out.set(`${name}.${field.name}`, fieldType(field));
    }
    return out;
  },
};
