/** Thrown when a frame ends early or holds an impossible length; the connection answering it is closed, as Kafka does. */
export class MalformedFrameError extends Error {}

/** Reads Kafka's primitive types from one frame, front to back. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(size: number): number {
    if (size < 0 || this.offset + size > this.buffer.length) {
      throw new MalformedFrameError(`frame ends early: need ${size} byte(s) at offset ${this.offset} of ${this.buffer.length}`);
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  uint16(): number {
    return this.buffer.readUInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  uint32(): number {
    return this.buffer.readUInt32BE(this.take(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  float64(): number {
    return this.buffer.readDoubleBE(this.take(8));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  /** Unsigned LEB128, as used for compact lengths and tagged-field headers. */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.take(1));
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new MalformedFrameError('varint longer than 5 bytes');
  }

  /** Zig-zag signed varint (record fields). */
  varint(): number {
    const raw = this.uvarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  uvarlong(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = BigInt(this.buffer.readUInt8(this.take(1)));
      value |= (byte & 0x7fn) << shift;
      if ((byte & 0x80n) === 0n) return value;
    }
    throw new MalformedFrameError('varlong longer than 10 bytes');
  }

  varlong(): bigint {
    const raw = this.uvarlong();
    return (raw >> 1n) ^ -(raw & 1n);
  }

  raw(size: number): Buffer {
    const at = this.take(size);
    return this.buffer.subarray(at, at + size);
  }

  rest(): Buffer {
    return this.raw(this.remaining);
  }

  /** int16 length, -1 = null. */
  nullableString(): string | null {
    return utf8(this.sized(this.int16(), 'string'));
  }

  /** uvarint length + 1, 0 = null. */
  compactNullableString(): string | null {
    return utf8(this.sized(this.uvarint() - 1, 'string'));
  }

  /** int32 length, -1 = null. */
  nullableBytes(): Buffer | null {
    return this.sized(this.int32(), 'bytes');
  }

  compactNullableBytes(): Buffer | null {
    return this.sized(this.uvarint() - 1, 'bytes');
  }

  /** The `length` bytes that follow a length prefix, or null for Kafka's -1. */
  private sized(length: number, what: string): Buffer | null {
    if (length < -1) throw new MalformedFrameError(`invalid ${what} length ${length}`);
    return length === -1 ? null : this.raw(length);
  }

  /** int32 count (-1 = null) in classic versions, uvarint count + 1 in flexible ones. */
  arrayLength(compact: boolean): number | null {
    const length = compact ? this.uvarint() - 1 : this.int32();
    if (length < -1) throw new MalformedFrameError(`invalid array length ${length}`);
    // Each element takes at least one byte, so a larger count is a corrupt frame, not a huge allocation.
    if (length > this.remaining) throw new MalformedFrameError(`array of ${length} in ${this.remaining} byte(s)`);
    return length === -1 ? null : length;
  }

  uuid(): Buffer {
    return this.raw(16);
  }
}

function utf8(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('utf8');
}
