import { connect } from 'net';

/** One partition of a Fetch v11 answer, with the records length exactly as it was on the wire. */
export interface RawFetchPartition {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  /** The int32 before the record bytes: librdkafka rejects anything below 0 ("invalid MessageSetSize"). */
  recordsSize: number;
}

function kafkaString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function int64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}

/**
 * Fetch v11 (the version librdkafka 2.0 uses), encoded by hand from Kafka's FetchRequest.json
 * rather than with the broker's own codec, so a shared codec mistake cannot hide itself.
 */
function fetchV11Request(topic: string, partition: number): Buffer {
  const header = Buffer.concat([Buffer.from([0, 1, 0, 11]), int32(1), kafkaString('conformance-raw')]);
  const body = Buffer.concat([
    int32(-1), // replica_id
    int32(0), // max_wait_ms
    int32(0), // min_bytes
    int32(1 << 20), // max_bytes
    Buffer.from([0]), // isolation_level
    int32(0), // session_id
    int32(-1), // session_epoch
    int32(1), // topics
    kafkaString(topic),
    int32(1), // partitions
    int32(partition),
    int32(-1), // current_leader_epoch
    int64(0n), // fetch_offset
    int64(-1n), // log_start_offset
    int32(1 << 20), // partition_max_bytes
    int32(0), // forgotten_topics_data
    kafkaString(''), // rack_id
  ]);
  const frame = Buffer.concat([header, body]);
  return Buffer.concat([int32(frame.length), frame]);
}

function parseFetchV11Response(frame: Buffer): RawFetchPartition[] {
  let at = 4 + 4 + 2 + 4; // correlation_id, throttle_time_ms, error_code, session_id
  const partitions: RawFetchPartition[] = [];
  const topics = frame.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t++) {
    at += 2 + frame.readInt16BE(at);
    const count = frame.readInt32BE(at);
    at += 4;
    for (let p = 0; p < count; p++) {
      const partitionIndex = frame.readInt32BE(at);
      const errorCode = frame.readInt16BE(at + 4);
      const highWatermark = frame.readBigInt64BE(at + 6);
      at += 4 + 2 + 8 + 8 + 8; // ... last_stable_offset, log_start_offset
      const aborted = frame.readInt32BE(at);
      at += 4 + Math.max(0, aborted) * 16;
      at += 4; // preferred_read_replica
      const recordsSize = frame.readInt32BE(at);
      at += 4 + Math.max(0, recordsSize);
      partitions.push({ partitionIndex, errorCode, highWatermark, recordsSize });
    }
  }
  return partitions;
}

/** Sends one Fetch v11 for `topic`/`partition` on a fresh PLAINTEXT connection and decodes the answer by hand. */
export function rawFetchV11(bootstrap: string, topic: string, partition: number): Promise<RawFetchPartition[]> {
  const [host, port] = bootstrap.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no Fetch answer within 5 s'));
    }, 5_000);
    socket.on('connect', () => socket.write(fetchV11Request(topic, partition)));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(parseFetchV11Response(received.subarray(4, 4 + received.readInt32BE(0))));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
