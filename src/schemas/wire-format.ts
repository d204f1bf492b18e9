/**
 * Confluent's wire format, what registry-aware serializers write: magic byte 0, the schema id as a
 * 4-byte big-endian integer, then (Protobuf only) the message indexes, then the encoded data.
 * Message indexes are a zigzag varint count followed by that many zigzag varints; a count of 0
 * stands for `[0]`, the file's first message.
 */

export interface Framed {
  id: number;
  /** What follows the id: the data (Avro, JSON), or the message indexes and the data (Protobuf). */
  body: Buffer;
}

/** The frame of a record, or undefined when it does not start with magic byte 0 and a whole id. */
export function confluentFrame(bytes: Buffer): Framed | undefined {
  if (bytes.length < 5 || bytes[0] !== 0) return undefined;
  return { id: bytes.readUInt32BE(1), body: bytes.subarray(5) };
}

/** Protobuf's message indexes and the data after them, or why they cannot be read. */
export function protobufIndexes(body: Buffer): { indexes: number[]; payload: Buffer } | string {
  let pos = 0;
  const varint = (): number | undefined => {
    let result = 0;
    let shift = 0;
    while (pos < body.length && shift < 35) {
      const byte = body[pos++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
      shift += 7;
    }
    return undefined;
  };
  const count = varint();
  if (count === undefined || count < 0 || count > 64) return 'the Protobuf message indexes after the schema id cannot be read';
  if (count === 0) return { indexes: [0], payload: body.subarray(pos) };
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) {
    const index = varint();
    if (index === undefined || index < 0) return 'the Protobuf message indexes after the schema id cannot be read';
    indexes.push(index);
  }
  return { indexes, payload: body.subarray(pos) };
}
