/**
 * Records of one partition between two offsets, read with Fetch from the partition's leader as a
 * replica-less reader: no consumer group, nothing committed, nothing joined. kafkajs's request and
 * decoders (record batches, gzip) do the bytes, with the snappy, lz4 and zstd codecs of codecs.ts;
 * a batch that cannot be decompressed is reported, not guessed.
 */
import { KafkaWire } from './wire';
import { errorName } from './protocol';
import { registerCodecs } from './codecs';

registerCodecs();

const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;

const READ_UNCOMMITTED = 0;
/** Per request: enough for many small records; Kafka returns at least one whole batch even when it is larger. */
const PARTITION_MAX_BYTES = 4 * 1024 * 1024;

export interface FetchedRecord {
  offset: number;
  /** Milliseconds since the epoch: the producer's CreateTime, or the broker's LogAppendTime. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

export interface PartitionRecords {
  records: FetchedRecord[];
  /** Why not every record in the range could be read (undecodable batch, error code); absent when all were. */
  problem?: string;
}

interface DecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord: boolean;
}

interface FetchAnswer {
  errorCode: number;
  responses: Array<{ topicName: string; partitions: Array<{ partition: number; errorCode: number; highWatermark: string; messages: DecodedRecord[] }> }>;
}

/**
 * The data records with offsets in [from, to) of one partition (control records of transactions
 * left out; offsets a compaction removed are simply absent).
 */
export async function fetchRecords(wire: KafkaWire, leader: number, topic: string, partition: number, from: number, to: number): Promise<PartitionRecords> {
  const records: FetchedRecord[] = [];
  let next = from;
  while (next < to) {
    let answer: FetchAnswer;
    try {
      answer = await wire.readFrom<FetchAnswer>(leader, {
        apiKey: apiKeys.Fetch,
        definition: requests.Fetch,
        args: {
          replicaId: -1,
          isolationLevel: READ_UNCOMMITTED,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: PARTITION_MAX_BYTES,
          topics: [{ topic, partitions: [{ partition, fetchOffset: String(next), maxBytes: PARTITION_MAX_BYTES }] }],
        },
      });
    } catch (e) {
      const message = (e as Error).message;
      // kafkajs decodes the whole answer: a codec it lacks fails the request, not one record.
      if (/compression|not implemented|codec|decompress/i.test(message)) return { records, problem: `records from offset ${next} could not be decompressed (meshform reads uncompressed, gzip, snappy, lz4 and zstd batches): ${message}` };
      throw e;
    }
    const part = answer.responses.find((r) => r.topicName === topic)?.partitions.find((p) => p.partition === partition);
    if (!part) return { records, problem: `Fetch gave no answer for ${topic}/${partition}` };
    if (part.errorCode !== 0) return { records, problem: `Fetch ${topic}/${partition} from offset ${next}: ${errorName(part.errorCode)}` };
    let advanced = false;
    for (const m of part.messages) {
      const offset = Number(m.offset);
      // A batch is returned whole: records before the asked offset, or past the range, are not ours.
      if (m.isControlRecord || offset < next || offset >= to) continue;
      records.push({ offset, timestamp: Number(m.timestamp), key: m.key, value: m.value });
      next = offset + 1;
      advanced = true;
    }
    if (!advanced) {
      // Past the last record of the range (a compacted tail, or transaction markers): nothing more to read.
      const last = part.messages.length > 0 ? Number(part.messages[part.messages.length - 1].offset) : -1;
      if (last >= next) next = last + 1;
      else break;
    }
  }
  return { records };
}
