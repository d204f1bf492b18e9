/**
 * The live reports' JSON (`meshform kafka storage|consumption --json`): a public contract, read
 * back by `meshform catalog --storage/--consumption`. Offsets and byte counts are JSON numbers
 * (exact up to 2^53, some 9 PB).
 */

export const STORAGE_REPORT = 'meshform.kafka.storage/v1';
export const CONSUMPTION_REPORT = 'meshform.kafka.consumption/v1';

export interface PartitionStorage {
  partition: number;
  leader: number;
  /** Size of the leader's replica; null when no broker reported the partition's log. */
  bytes: number | null;
  /** First offset still in the log (log start offset). */
  startOffset: number;
  /** Offset the next record gets (high watermark). */
  endOffset: number;
}

export interface TopicStorage {
  topic: string;
  /** Declared by a spec in the mesh. False: on the cluster under the product's prefix, but in no spec. */
  declared: boolean;
  /** On the cluster. False: declared but not (yet) created. */
  exists: boolean;
  partitions: PartitionStorage[];
  /** Sum of the leaders' replica sizes: the data once; null when unknown. */
  bytes: number | null;
  /** Every replica on every broker: what the topic takes on disk; null when unknown. */
  bytesOnDisk: number | null;
  /** Sum over partitions of end - start: records kept, an upper bound (compaction, transaction markers). */
  offsets: number;
}

export interface ProductStorage {
  product: string;
  bytes: number | null;
  bytesOnDisk: number | null;
  offsets: number;
  topics: TopicStorage[];
}

export interface StorageReport {
  report: typeof STORAGE_REPORT;
  /** ISO 8601 time the cluster was read. */
  readAt: string;
  brokers: number;
  products: ProductStorage[];
  /** Topics on the cluster under no product of the mesh (internal topics left out). */
  otherTopics: TopicStorage[];
  /** What could not be read, and why (e.g. log dirs not authorized). */
  notes: string[];
}

export interface PartitionLag {
  partition: number;
  /** The group's committed offset; null when it has committed none for this partition. */
  committed: number | null;
  endOffset: number;
  /** endOffset - committed; null without a committed offset. */
  lag: number | null;
}

export interface TopicConsumption {
  topic: string;
  /** The product that owns the topic, when it is in the mesh. */
  owner?: string;
  /** The consumer's spec receives from the topic (or owns it). False: consumption no spec declares. */
  declared: boolean;
  /** Sum over partitions with a committed offset. */
  lag: number;
  partitions: PartitionLag[];
}

export interface GroupConsumption {
  group: string;
  /** Kafka's group state (Stable, Empty, ...); null when the cluster does not say (ListGroups < v4). */
  state: string | null;
  lag: number;
  topics: TopicConsumption[];
}

export interface ProductConsumption {
  product: string;
  lag: number;
  groups: GroupConsumption[];
}

export interface ConsumptionReport {
  report: typeof CONSUMPTION_REPORT;
  readAt: string;
  brokers: number;
  products: ProductConsumption[];
  /** Groups under no product's prefix, with their offsets. */
  otherGroups: GroupConsumption[];
  notes: string[];
}

export const VERIFY_REPORT = 'meshform.verify/v1';

/** A record that breaks its topic's contract. */
export interface RecordViolation {
  partition: number;
  offset: number;
  reason: string;
}

export interface FreshnessCheck {
  /** The channel's `x-meshform.freshness` as written (ISO-8601). */
  expected: string;
  /** Its length in seconds. */
  seconds: number;
  /** ISO 8601 time of the newest record read; null when the topic holds none. */
  newest: string | null;
  ageSeconds: number | null;
  /** No record, or the newest is older than expected. */
  stale: boolean;
}

export interface LagCheck {
  /** The consuming product. */
  consumer: string;
  /** One of its groups (named by its group prefix) with offsets committed on the topic. */
  group: string;
  /** Records behind, summed over the topic's partitions. */
  lag: number;
  maxLag: number;
  over: boolean;
}

export interface TopicVerification {
  topic: string;
  /** The owning product. */
  product: string;
  /** On the cluster. False: declared, not (yet) created; nothing was read. */
  exists: boolean;
  /** cleanup.policy on the cluster includes compact. */
  compacted: boolean;
  /** Records read (the last `sample` of every partition, at most). */
  records: number;
  /** Records that break the contract (keyless ones on a compacted topic included), plus a stale topic, plus each group over its maxLag. */
  violations: number;
  /** The first violating records, by partition and offset. */
  examples: RecordViolation[];
  /** Records without a key on a compacted topic. */
  keyless: number;
  freshness?: FreshnessCheck;
  lag: LagCheck[];
  /**
   * Partitions whose records could not be read (offsets unknown, a Fetch refused, e.g. not
   * authorized, or a batch that cannot be decompressed): not verified, so not a pass.
   */
  unread: number;
  /** What could not be checked, and why. */
  notes: string[];
}

export interface VerifyReport {
  report: typeof VERIFY_REPORT;
  readAt: string;
  /** Records read per partition, at most. */
  sample: number;
  /** The registry framed records were looked up in (URL), or null. */
  registry: string | null;
  /** `unread`: partitions whose records could not be read (each topic's notes say why). */
  summary: { topics: number; records: number; violations: number; unread: number };
  topics: TopicVerification[];
  notes: string[];
}
