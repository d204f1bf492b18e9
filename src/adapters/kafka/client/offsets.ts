/**
 * Partition offsets for the live reports: ListOffsets sent to each partition's leader, one request
 * per leader and kind (earliest, latest), read uncommitted: the high watermark, as lag tools use.
 */
import type { PartitionLayout } from './wire';
import { KafkaWire } from './wire';
import { errorName } from './protocol';

const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;

export const EARLIEST = -2;
export const LATEST = -1;
const READ_UNCOMMITTED = 0;

/** `topic/partition` -> offset; partitions that failed are left out and named in `problems`. */
export interface Offsets {
  offsets: Map<string, number>;
  problems: string[];
}

export const partitionKey = (topic: string, partition: number) => `${topic}/${partition}`;

export async function listOffsets(
  wire: KafkaWire,
  layout: PartitionLayout,
  wanted: ReadonlyArray<{ topic: string; partition: number }>,
  timestamp: typeof EARLIEST | typeof LATEST,
): Promise<Offsets> {
  const leaders = new Map<string, number>();
  for (const t of layout.topics) for (const p of t.partitions) leaders.set(partitionKey(t.name, p.partition), p.leader);
  const byLeader = new Map<number, Map<string, number[]>>();
  const problems: string[] = [];
  for (const { topic, partition } of wanted) {
    const leader = leaders.get(partitionKey(topic, partition));
    if (leader === undefined || leader < 0) {
      problems.push(`${partitionKey(topic, partition)}: ${leader === undefined ? 'not on the cluster' : 'no leader (offline)'}`);
      continue;
    }
    const topics = byLeader.get(leader) ?? new Map<string, number[]>();
    topics.set(topic, [...(topics.get(topic) ?? []), partition]);
    byLeader.set(leader, topics);
  }
  const offsets = new Map<string, number>();
  await Promise.all(
    [...byLeader].map(async ([leader, topics]) => {
      const data = await wire.readFrom<{ responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number; offset: string }> }> }>(leader, {
        apiKey: apiKeys.ListOffsets,
        definition: requests.ListOffsets,
        args: {
          replicaId: -1,
          isolationLevel: READ_UNCOMMITTED,
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions: partitions.map((partition) => ({ partition, timestamp })) })),
        },
      });
      for (const r of data.responses) {
        for (const p of r.partitions) {
          if (p.errorCode === 0) offsets.set(partitionKey(r.topic, p.partition), Number(p.offset));
          else problems.push(`${partitionKey(r.topic, p.partition)}: ListOffsets ${errorName(p.errorCode)}`);
        }
      }
    }),
  );
  return { offsets, problems };
}
