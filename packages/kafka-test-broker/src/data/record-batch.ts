import { gunzipSync } from 'zlib';
import { buf as crc32c } from 'crc-32/crc32c';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { ByteReader } from '../protocol/reader';

/**
 * Kafka's record batch (magic 2) header, as offsets into the batch. Only the fields a broker
 * rewrites or reads are named; the rest travel untouched. The CRC covers `attributes` to the end,
 * so rewriting the base offset and leader epoch keeps the batch valid.
 */
const BASE_OFFSET = 0;
const BATCH_LENGTH = 8;
const PARTITION_LEADER_EPOCH = 12;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;
const LAST_OFFSET_DELTA = 23;
const BASE_TIMESTAMP = 27;
const MAX_TIMESTAMP = 35;
const RECORDS_COUNT = 57;
export const BATCH_HEADER_BYTES = 61;
/** baseOffset + batchLength precede what batchLength counts. */
const LOG_OVERHEAD = 12;
const COMPRESSION_MASK = 0x07;

/** One stored batch: its bytes as received, with the broker-assigned base offset written in. */
export interface RecordBatch {
  baseOffset: bigint;
  /** Offset of the batch's last record. */
  lastOffset: bigint;
  maxTimestamp: bigint;
  bytes: Buffer;
}

/**
 * Splits a produce request's records into batches and checks each as Kafka does before appending:
 * magic 2 only (Produce v3+), sizes consistent, CRC-32C intact, at least one record.
 */
export function splitBatches(records: Buffer): Buffer[] {
  const batches: Buffer[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_BYTES) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'Record batch is truncated.');
    const size = LOG_OVERHEAD + records.readInt32BE(at + BATCH_LENGTH);
    if (size < BATCH_HEADER_BYTES || at + size > records.length) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `Record batch size ${size} is invalid.`);
    const batch = records.subarray(at, at + size);
    if (batch.readInt8(MAGIC) !== 2) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, 'Produce requests with version 3 or later must contain record batches with magic version 2.');
    }
    if ((crc32c(batch.subarray(ATTRIBUTES)) >>> 0) !== batch.readUInt32BE(CRC)) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'Record batch is corrupt (CRC mismatch).');
    if (batch.readInt32BE(RECORDS_COUNT) <= 0) throw new KafkaError(ErrorCode.INVALID_RECORD, 'Record batch has no records.');
    batches.push(batch);
    at += size;
  }
  if (batches.length === 0) throw new KafkaError(ErrorCode.INVALID_RECORD, 'Produce request holds no record batch.');
  return batches;
}

/** A copy of `received` placed at `baseOffset` in a log led at `leaderEpoch`. */
export function placeBatch(received: Buffer, baseOffset: bigint, leaderEpoch: number): RecordBatch {
  const bytes = Buffer.from(received);
  bytes.writeBigInt64BE(baseOffset, BASE_OFFSET);
  bytes.writeInt32BE(leaderEpoch, PARTITION_LEADER_EPOCH);
  return {
    baseOffset,
    lastOffset: baseOffset + BigInt(bytes.readInt32BE(LAST_OFFSET_DELTA)),
    maxTimestamp: bytes.readBigInt64BE(MAX_TIMESTAMP),
    bytes,
  };
}

/**
 * The offset of the first record with a timestamp at or after `timestamp`, for ListOffsets by time.
 * Records of an uncompressed batch are walked; a compressed batch answers its base offset, which
 * is where a client would start reading to find that record anyway.
 */
export function firstOffsetAtOrAfter(batch: RecordBatch, timestamp: bigint): bigint | null {
  if (batch.maxTimestamp < timestamp) return null;
  if ((batch.bytes.readInt16BE(ATTRIBUTES) & COMPRESSION_MASK) !== 0) return batch.baseOffset;
  const baseTimestamp = batch.bytes.readBigInt64BE(BASE_TIMESTAMP);
  const reader = new ByteReader(batch.bytes.subarray(BATCH_HEADER_BYTES));
  const count = batch.bytes.readInt32BE(RECORDS_COUNT);
  for (let i = 0; i < count; i++) {
    const length = reader.varint();
    const record = new ByteReader(reader.raw(length));
    record.int8();
    const timestampDelta = record.varlong();
    const offsetDelta = record.varint();
    if (baseTimestamp + timestampDelta >= timestamp) return batch.baseOffset + BigInt(offsetDelta);
  }
  return batch.baseOffset;
}

const GZIP = 1;

/**
 * Whether a batch holds a record without a key, which a compacted topic refuses (INVALID_RECORD,
 * as Kafka's LogValidator). Uncompressed and gzip batches are read; other codecs (snappy, lz4,
 * zstd) are not decoded here and pass unchecked.
 */
export function hasRecordWithoutKey(batch: Buffer): boolean {
  const codec = batch.readInt16BE(ATTRIBUTES) & COMPRESSION_MASK;
  if (codec !== 0 && codec !== GZIP) return false;
  const body = batch.subarray(BATCH_HEADER_BYTES);
  const reader = new ByteReader(codec === GZIP ? gunzipSync(body) : body);
  const count = batch.readInt32BE(RECORDS_COUNT);
  for (let i = 0; i < count; i++) {
    const record = new ByteReader(reader.raw(reader.varint()));
    record.int8(); // attributes
    record.varlong(); // timestamp delta
    record.varint(); // offset delta
    if (record.varint() < 0) return true; // key length -1: null key
  }
  return false;
}
