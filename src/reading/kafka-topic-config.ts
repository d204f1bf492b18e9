/**
 * Kafka's topic-level configuration keys (Kafka 3.x/4.x `TopicConfig` / `LogConfig`), with the
 * value type and range the broker enforces, so a typo or an out-of-range value is caught in the
 * spec instead of by a failing apply. Confluent schema-validation keys from the AsyncAPI Kafka
 * binding are known too.
 */
export type ConfigType =
  | { kind: 'int' | 'long'; min?: number; max?: number }
  | { kind: 'double'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; values?: readonly string[]; nonEmpty?: boolean };

const int = (min?: number, max?: number): ConfigType => ({ kind: 'int', min, max });
const long = (min?: number, max?: number): ConfigType => ({ kind: 'long', min, max });
const bool: ConfigType = { kind: 'boolean' };
const str: ConfigType = { kind: 'string' };

export const TOPIC_CONFIG: Readonly<Record<string, ConfigType>> = {
  'cleanup.policy': { kind: 'list', values: ['delete', 'compact'], nonEmpty: true },
  'compression.type': { kind: 'enum', values: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  'compression.gzip.level': int(1, 9),
  'compression.lz4.level': int(1, 17),
  'compression.zstd.level': int(-131072, 22),
  'delete.retention.ms': long(0),
  'file.delete.delay.ms': long(0),
  'flush.messages': long(1),
  'flush.ms': long(0),
  'follower.replication.throttled.replicas': { kind: 'list' },
  'index.interval.bytes': int(0),
  'leader.replication.throttled.replicas': { kind: 'list' },
  'local.retention.bytes': long(-2),
  'local.retention.ms': long(-2),
  'max.compaction.lag.ms': long(1),
  'max.message.bytes': int(0),
  'message.downconversion.enable': bool,
  'message.format.version': str,
  'message.timestamp.after.max.ms': long(0),
  'message.timestamp.before.max.ms': long(0),
  'message.timestamp.difference.max.ms': long(0),
  'message.timestamp.type': { kind: 'enum', values: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { kind: 'double', min: 0, max: 1 },
  'min.compaction.lag.ms': long(0),
  'min.insync.replicas': int(1),
  preallocate: bool,
  'remote.log.copy.disable': bool,
  'remote.log.delete.on.disable': bool,
  'remote.storage.enable': bool,
  'retention.bytes': long(-1),
  'retention.ms': long(-1),
  'segment.bytes': int(1024 * 1024),
  'segment.index.bytes': int(4),
  'segment.jitter.ms': long(0),
  'segment.ms': long(1),
  'unclean.leader.election.enable': bool,
  'confluent.key.schema.validation': bool,
  'confluent.key.subject.name.strategy': str,
  'confluent.value.schema.validation': bool,
  'confluent.value.subject.name.strategy': str,
};

/**
 * Topic configs Kafka 4.0 removed (KIP-724, KIP-937): a 3.x cluster still takes them, a 4.x cluster
 * refuses the whole topic with INVALID_CONFIG. Kept in TOPIC_CONFIG for 3.x clusters, with a warning.
 */
export const REMOVED_IN_KAFKA_4: Readonly<Record<string, string>> = {
  'message.format.version': 'Kafka 4 writes only the v2 record format',
  'message.downconversion.enable': 'Kafka 4 no longer down-converts records for old consumers',
  'message.timestamp.difference.max.ms': 'use message.timestamp.before.max.ms and message.timestamp.after.max.ms',
};

const INT_MAX = 2 ** 31 - 1;

/**
 * The Kafka string form of a spec value, or the reason it is not acceptable.
 * Numbers may be written as numbers or numeric strings; lists as arrays or comma-separated strings.
 */
export function topicConfigValue(type: ConfigType, value: unknown): { value: string } | { problem: string } {
  switch (type.kind) {
    case 'int':
    case 'long': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return { problem: 'must be an integer' };
      if (type.kind === 'int' && (n > INT_MAX || n < -INT_MAX - 1)) return { problem: 'must fit a 32-bit integer' };
      return range(n, type.min, type.max) ?? { value: String(n) };
    }
    case 'double': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || Number.isNaN(n)) return { problem: 'must be a number' };
      return range(n, type.min, type.max) ?? { value: String(n) };
    }
    case 'boolean':
      if (value === true || value === false) return { value: String(value) };
      if (value === 'true' || value === 'false') return { value };
      return { problem: 'must be true or false' };
    case 'string':
      return typeof value === 'string' ? { value } : { problem: 'must be a string' };
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? { value } : { problem: `must be one of ${type.values.join(', ')}` };
    case 'list': {
      const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      if (!items || !items.every((i) => typeof i === 'string')) return { problem: 'must be a list of strings' };
      if (type.nonEmpty && items.length === 0) return { problem: 'must not be empty' };
      const bad = type.values ? items.filter((i) => !type.values?.includes(i)) : [];
      if (bad.length) return { problem: `has ${bad.join(', ')}; allowed: ${type.values?.join(', ')}` };
      return { value: items.join(',') };
    }
  }
}

function range(n: number, min?: number, max?: number): { problem: string } | undefined {
  if (min !== undefined && n < min) return { problem: `must be >= ${min}` };
  if (max !== undefined && n > max) return { problem: `must be <= ${max}` };
  return undefined;
}
