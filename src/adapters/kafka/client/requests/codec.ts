/**
 * Bytes for the requests kafkajs 2.2.4 does not have (or not in the versions Kafka 4 still serves),
 * both classic and flexible (KIP-482: compact strings and arrays, tagged fields). kafkajs's
 * connection frames them: it writes request header v1 and hands back the response after the
 * correlation id, so a flexible request starts with the header's empty tagged fields and a
 * flexible response with the response header's, which `Reader` skips (`flexibleResponse`).
 */
const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeBuffer(b: Buffer): unknown };

export class Writer {
  private readonly parts: Buffer[] = [];

  constructor(private readonly flexible: boolean) {
    // Request header v2 = v1 + tagged fields; kafkajs writes v1.
    if (flexible) this.uvarint(0);
  }

  int8(v: number): this {
    return this.push(Buffer.from([v & 0xff]));
  }

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.push(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.push(b);
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  /** An IEEE 754 double, big-endian (the protocol's float64: client quota values). */
  float64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return this.push(b);
  }

  uvarint(v: number): this {
    const bytes: number[] = [];
    let n = v >>> 0;
    while (n >= 0x80) {
      bytes.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    bytes.push(n);
    return this.push(Buffer.from(bytes));
  }

  /** A string, or the protocol's null string. */
  nullableString(v: string | null): this {
    if (v !== null) return this.string(v);
    return this.flexible ? this.uvarint(0) : this.push(Buffer.from([0xff, 0xff]));
  }

  string(v: string): this {
    const text = Buffer.from(v, 'utf8');
    if (this.flexible) this.uvarint(text.length + 1);
    else this.push(Buffer.from([(text.length >> 8) & 0xff, text.length & 0xff]));
    return this.push(text);
  }

  /** An array (null: the protocol's null array), each item written by `write`. */
  array<T>(items: readonly T[] | null, write: (w: this, item: T) => void): this {
    if (items === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    if (this.flexible) this.uvarint(items.length + 1);
    else this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  /** The end of a struct in a flexible version: no tagged fields. */
  tags(): this {
    return this.flexible ? this.uvarint(0) : this;
  }

  /** What kafkajs's request.encode() must return. */
  encoder(): unknown {
    const encoder = new Encoder();
    encoder.writeBuffer(Buffer.concat(this.parts));
    return encoder;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
}

/** A response that does not parse; the message says where. */
export class DecodeError extends Error {}

export class Reader {
  private offset = 0;

  constructor(
    private readonly buffer: Buffer,
    private readonly flexible: boolean,
  ) {
    if (flexible) this.tags();
  }

  int8(): number {
    return this.take(1).readInt8(0);
  }

  int16(): number {
    return this.take(2).readInt16BE(0);
  }

  int32(): number {
    return this.take(4).readInt32BE(0);
  }

  /** As a JS number: offsets and sizes stay exact up to 2^53. */
  int64(): number {
    return Number(this.take(8).readBigInt64BE(0));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  float64(): number {
    return this.take(8).readDoubleBE(0);
  }

  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.take(1)[0];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new DecodeError('varint longer than 5 bytes');
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new DecodeError(`null where a string is required at byte ${this.offset}`);
    return value;
  }

  nullableString(): string | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int16();
    if (length < 0) return null;
    return this.take(length).toString('utf8');
  }

  /** An array; the protocol's null array reads as `[]` (a nullable array's null means "none" here). */
  array<T>(read: (r: this) => T): T[] {
    const length = this.flexible ? this.uvarint() - 1 : this.int32();
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(read(this));
    return items;
  }

  /** A nullable array: null for the protocol's null array. */
  nullableArray<T>(read: (r: this) => T): T[] | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int32();
    if (length < 0) return null;
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(read(this));
    return items;
  }

  /** A UUID (16 bytes), as 32 hex digits. */
  uuid(): string {
    return this.take(16).toString('hex');
  }

  /** A struct's tagged fields (flexible versions only): `read` is given each tag and a reader of exactly its bytes. */
  taggedFields(read: (tag: number, field: Reader) => void): void {
    if (!this.flexible) return;
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      read(tag, new Reader(this.take(this.uvarint()), false));
    }
  }

  /** Skips a struct's tagged fields (flexible versions only). */
  tags(): void {
    if (!this.flexible) return;
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.take(this.uvarint());
    }
  }

  private take(n: number): Buffer {
    if (this.offset + n > this.buffer.length) throw new DecodeError(`response ends at byte ${this.buffer.length}, needed ${this.offset + n}`);
    const slice = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return slice;
  }
}

/** A request in the shape kafkajs's connection sends and answers. */
export interface WireProtocol<T> {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<unknown> };
  response: { decode(raw: Buffer): Promise<T>; parse(data: T): Promise<T> };
}

export function wireProtocol<T>(apiKey: number, apiName: string, apiVersion: number, body: () => Writer, decode: (raw: Buffer) => T): WireProtocol<T> {
  return {
    request: { apiKey, apiVersion, apiName, encode: async () => body().encoder() },
    response: { decode: async (raw) => decode(raw), parse: async (data) => data },
  };
}

/** The highest version both sides speak, or undefined. */
export function pickVersion(served: { minVersion: number; maxVersion: number } | undefined, ours: readonly number[]): number | undefined {
  if (!served) return undefined;
  return [...ours].sort((a, b) => b - a).find((v) => v >= served.minVersion && v <= served.maxVersion);
}
