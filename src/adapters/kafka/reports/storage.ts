/**
 * `meshform kafka storage`: bytes and offsets per product and topic, read from a live cluster.
 * Sizes come from DescribeLogDirs on every broker (each reports its own replicas), offsets from
 * ListOffsets on each partition's leader. Topics belong to the product whose `_public.`,
 * `_protected.` or `_private.` prefix they are under, declared in its spec or not.
 */
import { compareText } from '../../../compare';
import type { Mesh } from '../../../vocabulary/mesh';
import { NameIndex } from '../../../vocabulary/topic-names';
import { errorName } from '../client/protocol';
import { pickVersion } from '../client/requests/codec';
import { DESCRIBE_LOG_DIRS, describeLogDirs, type DescribeLogDirsResult } from '../client/requests/describe-log-dirs';
import type { KafkaWire, PartitionLayout } from '../client/wire';
import { EARLIEST, LATEST, listOffsets, partitionKey } from '../client/offsets';
import { STORAGE_REPORT, type PartitionStorage, type ProductStorage, type StorageReport, type TopicStorage } from './types';

const CLUSTER_AUTHORIZATION_FAILED = 31;

export async function readStorage(wire: KafkaWire, mesh: Mesh, now: () => Date = () => new Date()): Promise<StorageReport> {
  const readAt = now().toISOString();
  const notes: string[] = [];
  const layout = await wire.partitionLayout();
  const sizes = await replicaSizes(wire, layout, notes);

  const partitions = layout.topics.filter((t) => !t.internal).flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
  const [earliest, latest] = await Promise.all([listOffsets(wire, layout, partitions, EARLIEST), listOffsets(wire, layout, partitions, LATEST)]);
  for (const problem of new Set([...earliest.problems, ...latest.problems])) notes.push(`offsets unknown for ${problem}`);

  const onCluster = new Map(layout.topics.filter((t) => !t.internal).map((t) => [t.name, t]));
  const topicStorage = (name: string, declared: boolean): TopicStorage => {
    const topic = onCluster.get(name);
    const parts: PartitionStorage[] = (topic?.partitions ?? []).map((p) => {
      const replicas = sizes?.get(partitionKey(name, p.partition));
      return {
        partition: p.partition,
        leader: p.leader,
        bytes: replicas?.get(p.leader) ?? null,
        startOffset: earliest.offsets.get(partitionKey(name, p.partition)) ?? 0,
        endOffset: latest.offsets.get(partitionKey(name, p.partition)) ?? 0,
      };
    });
    const onDisk = (topic?.partitions ?? []).map((p) => [...(sizes?.get(partitionKey(name, p.partition))?.values() ?? [])]);
    return {
      topic: name,
      declared,
      exists: topic !== undefined,
      partitions: parts,
      bytes: sumOrNull(parts.map((p) => p.bytes)),
      bytesOnDisk: sizes && topic ? onDisk.flat().reduce((a, b) => a + b, 0) : topic ? null : 0,
      offsets: parts.reduce((sum, p) => sum + Math.max(0, p.endOffset - p.startOffset), 0),
    };
  };

  const claimed = new Set<string>();
  // Topics on the cluster by the product whose prefixes hold them: each name looked up once.
  const index = NameIndex.ofMesh(mesh);
  const underPrefixes = new Map<string, string[]>();
  for (const name of onCluster.keys()) {
    const owner = index.ownerOfTopic(name);
    if (owner === undefined) continue;
    const names = underPrefixes.get(owner);
    if (names) names.push(name);
    else underPrefixes.set(owner, [name]);
  }
  const products = [...mesh.products]
    .sort((a, b) => compareText(a.id, b.id))
    .map((product): ProductStorage => {
      const declared = new Set(product.topics.map((t) => t.name));
      const undeclared = (underPrefixes.get(product.id) ?? []).filter((name) => !declared.has(name));
      const topics = [...[...declared].map((name) => topicStorage(name, true)), ...undeclared.map((name) => topicStorage(name, false))].sort((a, b) =>
        compareText(a.topic, b.topic),
      );
      for (const t of topics) claimed.add(t.topic);
      return {
        product: product.id,
        bytes: sumOrNull(topics.filter((t) => t.exists).map((t) => t.bytes)),
        bytesOnDisk: sumOrNull(topics.filter((t) => t.exists).map((t) => t.bytesOnDisk)),
        offsets: topics.reduce((sum, t) => sum + t.offsets, 0),
        topics,
      };
    });
  const otherTopics = [...onCluster.keys()]
    .filter((name) => !claimed.has(name))
    .sort(compareText)
    .map((name) => topicStorage(name, false));
  return { report: STORAGE_REPORT, readAt, brokers: layout.brokers.length, products, otherTopics, notes };
}

/**
 * `topic/partition` -> node id -> bytes, from every broker; undefined when no size could be read
 * (the reason goes to `notes`). Replicas being moved between directories (future) are left out.
 */
async function replicaSizes(wire: KafkaWire, layout: PartitionLayout, notes: string[]): Promise<Map<string, Map<number, number>> | undefined> {
  const version = pickVersion(wire.servedVersions(DESCRIBE_LOG_DIRS.apiKey), DESCRIBE_LOG_DIRS.versions);
  if (version === undefined) {
    notes.push('sizes unknown: the cluster does not serve DescribeLogDirs v1-v4 (Kafka 2.0 or later does)');
    return undefined;
  }
  const sizes = new Map<string, Map<number, number>>();
  let answered = 0;
  for (const broker of layout.brokers) {
    const result = await wire.readFrom<DescribeLogDirsResult>(broker.nodeId, { protocol: describeLogDirs(version, null) });
    if (result.errorCode === CLUSTER_AUTHORIZATION_FAILED || (version < 3 && result.dirs.length === 0)) {
      notes.push(`sizes unknown on broker ${broker.nodeId}: DescribeLogDirs needs DESCRIBE on the CLUSTER resource${result.errorCode ? ` (${errorName(result.errorCode)})` : ''}`);
      continue;
    }
    if (result.errorCode !== 0) {
      notes.push(`sizes unknown on broker ${broker.nodeId}: DescribeLogDirs ${errorName(result.errorCode)}`);
      continue;
    }
    answered++;
    for (const dir of result.dirs) {
      if (dir.errorCode !== 0) {
        notes.push(`broker ${broker.nodeId} log dir ${dir.path}: ${errorName(dir.errorCode)}`);
        continue;
      }
      for (const t of dir.topics) {
        for (const p of t.partitions) {
          if (p.isFuture) continue;
          const key = partitionKey(t.topic, p.partition);
          const byNode = sizes.get(key) ?? new Map<number, number>();
          byNode.set(broker.nodeId, (byNode.get(broker.nodeId) ?? 0) + p.size);
          sizes.set(key, byNode);
        }
      }
    }
  }
  return answered > 0 ? sizes : undefined;
}

function sumOrNull(values: ReadonlyArray<number | null>): number | null {
  if (values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0);
}
