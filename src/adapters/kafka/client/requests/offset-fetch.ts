/**
 * OffsetFetch (API key 9), versions 2-5 with a null topic list: every offset the group has
 * committed. kafkajs 2.2.4 always names the topics, so a report could not see offsets of topics
 * it does not know about. Non-flexible (flexible starts at v6); committed leader epoch from v5.
 * Sent to the group's coordinator. apache/kafka OffsetFetchRequest.json / Response.json.
 */
import { Reader, Writer, wireProtocol } from './codec';

export const OFFSET_FETCH = { apiKey: 9, name: 'OffsetFetch', versions: [2, 3, 4, 5] } as const;

export interface CommittedPartition {
  partition: number;
  /** -1: nothing committed. */
  offset: number;
  errorCode: number;
}

export interface OffsetFetchResult {
  errorCode: number;
  topics: Array<{ topic: string; partitions: CommittedPartition[] }>;
}

export function offsetFetchAll(version: number, groupId: string) {
  return wireProtocol(
    OFFSET_FETCH.apiKey,
    OFFSET_FETCH.name,
    version,
    () => new Writer(false).string(groupId).array(null, () => undefined),
    (raw): OffsetFetchResult => {
      const r = new Reader(raw, false);
      if (version >= 3) r.int32(); // throttle_time_ms
      const topics = r.array((t) => {
        const topic = t.string();
        const partitions = t.array((p): CommittedPartition => {
          const partition = p.int32();
          const offset = p.int64();
          if (version >= 5) p.int32(); // committed_leader_epoch
          p.nullableString(); // metadata
          return { partition, offset, errorCode: p.int16() };
        });
        return { topic, partitions };
      });
      return { errorCode: r.int16(), topics };
    },
  );
}
