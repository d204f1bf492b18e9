import { ByteReader, MalformedFrameError } from './reader';
import { ByteWriter } from './writer';
import { Field, MessageSchema, ScalarType, inRange } from './schema';

/** Kafka's all-zero UUID in its base64url text form; topic ids are carried as such strings. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

type Struct = Record<string, unknown>;

interface Frame {
  version: number;
  flexible: boolean;
}

export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inRange(schema.flexibleVersions, version);
}

export function decodeMessage<T>(schema: MessageSchema, version: number, reader: ByteReader): T {
  return readStruct(schema.fields, { version, flexible: isFlexible(schema, version) }, reader) as T;
}

export function encodeMessage(schema: MessageSchema, version: number, value: object, writer: ByteWriter): void {
  writeStruct(schema.fields, { version, flexible: isFlexible(schema, version) }, value as Struct, writer);
}

/** The value a field takes when its version does not carry it or the encoder was not given it. */
export function defaultOf(f: Field): unknown {
  if (f.defaultValue !== undefined) return f.defaultValue;
  if (f.array) return [];
  if (Array.isArray(f.type)) return Object.fromEntries(f.type.map((sub) => [sub.name, defaultOf(sub)]));
  return scalarDefault(f.type);
}

function scalarDefault(type: ScalarType): unknown {
  switch (type) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    default:
      return 0;
  }
}

function isTaggedIn(f: Field, frame: Frame): boolean {
  return frame.flexible && f.tag !== null;
}

function readStruct(fields: Field[], frame: Frame, reader: ByteReader): Struct {
  const out: Struct = {};
  for (const f of fields) {
    if (!inRange(f.versions, frame.version) || isTaggedIn(f, frame)) out[f.name] = defaultOf(f);
    else out[f.name] = readField(f, frame, reader);
  }
  if (frame.flexible) readTaggedFields(fields, frame, reader, out);
  return out;
}

function readTaggedFields(fields: Field[], frame: Frame, reader: ByteReader, out: Struct): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    const tag = reader.uvarint();
    const data = reader.raw(reader.uvarint());
    const known = fields.find((f) => f.tag === tag && inRange(f.versions, frame.version));
    // Unknown tags are skipped: that is what makes tagged fields safe to add.
    if (known) out[known.name] = readField(known, frame, new ByteReader(data));
  }
}

function nullCheck(f: Field, frame: Frame): null {
  if (!inRange(f.nullableVersions, frame.version)) {
    throw new MalformedFrameError(`non-nullable field ${f.name} was serialized as null`);
  }
  return null;
}

function readField(f: Field, frame: Frame, reader: ByteReader): unknown {
  if (f.array) {
    const length = reader.arrayLength(frame.flexible);
    if (length === null) return nullCheck(f, frame);
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) items.push(readElement(f, frame, reader));
    return items;
  }
  return readElement(f, frame, reader);
}

function readElement(f: Field, frame: Frame, reader: ByteReader): unknown {
  if (Array.isArray(f.type)) return readStruct(f.type, frame, reader);
  const value = readScalar(f.type, frame.flexible, reader);
  return value === null ? nullCheck(f, frame) : value;
}

function readScalar(type: ScalarType, flexible: boolean, reader: ByteReader): unknown {
  switch (type) {
    case 'int8':
      return reader.int8();
    case 'int16':
      return reader.int16();
    case 'uint16':
      return reader.uint16();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return reader.int64();
    case 'float64':
      return reader.float64();
    case 'bool':
      return reader.bool();
    case 'string':
      return flexible ? reader.compactNullableString() : reader.nullableString();
    case 'bytes':
    case 'records':
      return flexible ? reader.compactNullableBytes() : reader.nullableBytes();
    case 'uuid':
      return reader.uuid().toString('base64url');
  }
}

function writeStruct(fields: Field[], frame: Frame, value: Struct, writer: ByteWriter): void {
  const tagged: Field[] = [];
  for (const f of fields) {
    if (!inRange(f.versions, frame.version)) continue;
    if (isTaggedIn(f, frame)) {
      if (!isDefault(f, valueOf(f, value))) tagged.push(f);
      continue;
    }
    writeField(f, frame, valueOf(f, value), writer);
  }
  if (!frame.flexible) return;
  tagged.sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0));
  writer.uvarint(tagged.length);
  for (const f of tagged) {
    const body = new ByteWriter();
    writeField(f, frame, valueOf(f, value), body);
    writer.uvarint(f.tag ?? 0).uvarint(body.length).raw(body.toBuffer());
  }
}

function valueOf(f: Field, value: Struct): unknown {
  const v = value[f.name];
  return v === undefined ? defaultOf(f) : v;
}

function isDefault(f: Field, value: unknown): boolean {
  const d = defaultOf(f);
  if (Array.isArray(value)) return Array.isArray(d) && value.length === 0 && d.length === 0;
  if (Buffer.isBuffer(value)) return Buffer.isBuffer(d) && value.equals(d);
  // Loose on purpose: an int64 default may be written as a number while the value is a bigint.
  return value == d;
}

function writeField(f: Field, frame: Frame, value: unknown, writer: ByteWriter): void {
  if (value === null) {
    if (!inRange(f.nullableVersions, frame.version)) throw new Error(`field ${f.name} is not nullable in v${frame.version}`);
    if (f.array) writer.arrayLength(null, frame.flexible);
    else writeScalar(f.type as ScalarType, frame.flexible, null, writer);
    return;
  }
  if (f.array) {
    const items = value as unknown[];
    writer.arrayLength(items.length, frame.flexible);
    for (const item of items) writeElement(f, frame, item, writer);
    return;
  }
  writeElement(f, frame, value, writer);
}

function writeElement(f: Field, frame: Frame, value: unknown, writer: ByteWriter): void {
  if (Array.isArray(f.type)) writeStruct(f.type, frame, value as Struct, writer);
  else writeScalar(f.type, frame.flexible, value, writer);
}

function writeScalar(type: ScalarType, flexible: boolean, value: unknown, writer: ByteWriter): void {
  switch (type) {
    case 'int8':
      writer.int8(value as number);
      return;
    case 'int16':
      writer.int16(value as number);
      return;
    case 'uint16':
      writer.uint16(value as number);
      return;
    case 'int32':
      writer.int32(value as number);
      return;
    case 'uint32':
      writer.uint32(value as number);
      return;
    case 'int64':
      writer.int64(value as bigint | number);
      return;
    case 'float64':
      writer.float64(value as number);
      return;
    case 'bool':
      writer.bool(value as boolean);
      return;
    case 'string':
      if (flexible) writer.compactNullableString(value as string | null);
      else writer.nullableString(value as string | null);
      return;
    case 'bytes':
    case 'records':
      if (flexible) writer.compactNullableBytes(value as Buffer | null);
      else writer.nullableBytes(value as Buffer | null);
      return;
    case 'uuid':
      writer.raw(Buffer.from(value as string, 'base64url'));
      return;
  }
}
