import { ByteReader, MalformedFrameError } from '../../src/protocol/reader';
import { ByteWriter } from '../../src/protocol/writer';

describe('primitive readers and writers', () => {
  it('round-trips fixed-width integers at their limits', () => {
    const bytes = new ByteWriter().int8(-128).int16(32767).uint16(65535).int32(-2147483648).uint32(4294967295).int64(-(2n ** 63n)).float64(0.5).bool(true).toBuffer();
    expect(bytes.length).toBe(1 + 2 + 2 + 4 + 4 + 8 + 8 + 1);
    const r = new ByteReader(bytes);
    expect([r.int8(), r.int16(), r.uint16(), r.int32(), r.uint32(), r.int64(), r.float64(), r.bool()]).toEqual([-128, 32767, 65535, -2147483648, 4294967295, -(2n ** 63n), 0.5, true]);
    expect(r.remaining).toBe(0);
  });

  it('encodes unsigned varints as LEB128 (the protobuf examples)', () => {
    expect(new ByteWriter().uvarint(1).toBuffer()).toEqual(Buffer.from([0x01]));
    expect(new ByteWriter().uvarint(300).toBuffer()).toEqual(Buffer.from([0xac, 0x02]));
    expect(new ByteWriter().uvarint(2 ** 32 - 1).toBuffer()).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(new ByteReader(Buffer.from([0xac, 0x02])).uvarint()).toBe(300);
  });

  it('zig-zags signed varints and varlongs', () => {
    expect(new ByteWriter().varint(-1).toBuffer()).toEqual(Buffer.from([0x01]));
    expect(new ByteWriter().varint(1).toBuffer()).toEqual(Buffer.from([0x02]));
    expect(new ByteWriter().varint(-64).toBuffer()).toEqual(Buffer.from([0x7f]));
    for (const n of [0, 1, -1, 63, -64, 64, 2147483647, -2147483648]) {
      expect(new ByteReader(new ByteWriter().varint(n).toBuffer()).varint()).toBe(n);
    }
    for (const n of [0n, -1n, 2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n]) {
      expect(new ByteReader(new ByteWriter().varlong(n).toBuffer()).varlong()).toBe(n);
    }
  });

  it('writes classic and compact strings and bytes, with their null forms', () => {
    expect(new ByteWriter().nullableString('ab').toBuffer()).toEqual(Buffer.from([0, 2, 0x61, 0x62]));
    expect(new ByteWriter().nullableString(null).toBuffer()).toEqual(Buffer.from([0xff, 0xff]));
    expect(new ByteWriter().compactNullableString('ab').toBuffer()).toEqual(Buffer.from([3, 0x61, 0x62]));
    expect(new ByteWriter().compactNullableString(null).toBuffer()).toEqual(Buffer.from([0]));
    expect(new ByteWriter().nullableBytes(null).toBuffer()).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(new ByteWriter().compactNullableBytes(Buffer.from([9])).toBuffer()).toEqual(Buffer.from([2, 9]));
    const r = new ByteReader(Buffer.from([0, 2, 0x61, 0x62, 3, 0x63, 0x64, 0]));
    expect([r.nullableString(), r.compactNullableString(), r.compactNullableString()]).toEqual(['ab', 'cd', null]);
  });

  it('reports a frame that ends early or claims an impossible array length as malformed', () => {
    expect(() => new ByteReader(Buffer.from([0, 5, 0x61])).nullableString()).toThrow(MalformedFrameError);
    expect(() => new ByteReader(Buffer.from([0, 0, 0x10, 0])).arrayLength(false)).toThrow(MalformedFrameError);
    expect(() => new ByteReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint()).toThrow(MalformedFrameError);
  });
});
