/** Builds one frame from Kafka's primitive types; `toBuffer` joins the pieces once. */
export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  private push(chunk: Buffer): this {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return this;
  }

  private fixed(size: number, write: (b: Buffer) => void): this {
    const chunk = Buffer.allocUnsafe(size);
    write(chunk);
    return this.push(chunk);
  }

  int8(value: number): this {
    return this.fixed(1, (b) => b.writeInt8(value));
  }

  int16(value: number): this {
    return this.fixed(2, (b) => b.writeInt16BE(value));
  }

  uint16(value: number): this {
    return this.fixed(2, (b) => b.writeUInt16BE(value));
  }

  int32(value: number): this {
    return this.fixed(4, (b) => b.writeInt32BE(value));
  }

  uint32(value: number): this {
    return this.fixed(4, (b) => b.writeUInt32BE(value));
  }

  int64(value: bigint | number): this {
    return this.fixed(8, (b) => b.writeBigInt64BE(BigInt(value)));
  }

  float64(value: number): this {
    return this.fixed(8, (b) => b.writeDoubleBE(value));
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uvarint(value: number): this {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
    return this.push(Buffer.from(bytes));
  }

  varint(value: number): this {
    return this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  uvarlong(value: bigint): this {
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80n) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    return this.push(Buffer.from(bytes));
  }

  varlong(value: bigint): this {
    return this.uvarlong(value >= 0n ? value << 1n : (-value << 1n) - 1n);
  }

  raw(bytes: Buffer): this {
    return this.push(bytes);
  }

  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).raw(bytes);
  }

  compactNullableString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const bytes = Buffer.from(value, 'utf8');
    return this.uvarint(bytes.length + 1).raw(bytes);
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  compactNullableBytes(value: Buffer | null): this {
    if (value === null) return this.uvarint(0);
    return this.uvarint(value.length + 1).raw(value);
  }

  arrayLength(length: number | null, compact: boolean): this {
    if (compact) return this.uvarint(length === null ? 0 : length + 1);
    return this.int32(length === null ? -1 : length);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
