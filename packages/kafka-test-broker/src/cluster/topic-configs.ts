import { ErrorCode, KafkaError } from '../protocol/errors';

/** DescribeConfigs `ConfigType` (v3+). */
export const ConfigType = { BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;

/** DescribeConfigs `ConfigSource` (v1+). */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

type Kind = 'boolean' | 'string' | 'int' | 'long' | 'double' | 'list';

export interface TopicConfigDefinition {
  name: string;
  kind: Kind;
  defaultValue: string;
  /** The broker property a default comes from, reported as a synonym like Kafka does. */
  brokerSynonym: string | null;
  /** Returns why a value is wrong, or null; run after the type check. */
  validate?: (value: string) => string | null;
  /** Where the value of a topic that does not set it comes from (default: DEFAULT_CONFIG). */
  defaultSource: number;
}

const LONG_MAX = '9223372036854775807';
const INT_LIMITS = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const LONG_LIMITS = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

function atLeast(min: number): (value: string) => string | null {
  return (value) => (BigInt(value) < BigInt(min) ? `Value must be at least ${min}` : null);
}

function between(min: number, max: number): (value: string) => string | null {
  return (value) => (Number(value) < min || Number(value) > max ? `Value must be no less than ${min} and no greater than ${max}` : null);
}

function oneOf(allowed: readonly string[]): (value: string) => string | null {
  return (value) => (allowed.includes(value) ? null : `String must be one of: ${allowed.join(', ')}`);
}

function eachOf(allowed: readonly string[]): (value: string) => string | null {
  return (value) => {
    const bad = splitList(value).find((item) => !allowed.includes(item));
    return bad === undefined ? null : `Invalid value ${bad} for configuration; must be one of: ${allowed.join(', ')}`;
  };
}

function throttledReplicas(value: string): string | null {
  const ok = value.trim() === '*' || value.trim() === '' || splitList(value).every((item) => /^\d+:\d+$/.test(item));
  return ok ? null : 'must be the literal "*" or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...';
}

function def(
  name: string,
  kind: Kind,
  defaultValue: string,
  brokerSynonym: string | null,
  validate?: (value: string) => string | null,
  defaultSource: number = ConfigSource.DEFAULT_CONFIG,
): TopicConfigDefinition {
  return { name, kind, defaultValue, brokerSynonym, validate, defaultSource };
}

/**
 * Kafka 4.x topic-level configs (TopicConfig / LogConfig) with their defaults and validators, as
 * the differential test against real Kafka 4.1 (test/conformance/differential.test.ts in this package) checks them.
 * 4.0 removed message.format.version, message.downconversion.enable and
 * message.timestamp.difference.max.ms, added compression.lz4.level, and made
 * message.timestamp.after.max.ms one hour; a 4.x cluster formatted by kafka-storage holds
 * min.insync.replicas as a cluster-wide dynamic default (source DYNAMIC_DEFAULT_BROKER_CONFIG).
 */
export const TOPIC_CONFIGS: readonly TopicConfigDefinition[] = [
  def('cleanup.policy', 'list', 'delete', 'log.cleanup.policy', eachOf(['delete', 'compact'])),
  def('compression.gzip.level', 'int', '-1', 'compression.gzip.level', (v) => (v === '-1' ? null : between(1, 9)(v))),
  def('compression.lz4.level', 'int', '9', 'compression.lz4.level', between(1, 17)),
  def('compression.type', 'string', 'producer', 'compression.type', oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'])),
  def('compression.zstd.level', 'int', '3', 'compression.zstd.level', between(-131072, 22)),
  def('delete.retention.ms', 'long', '86400000', 'log.cleaner.delete.retention.ms', atLeast(0)),
  def('file.delete.delay.ms', 'long', '60000', 'log.segment.delete.delay.ms', atLeast(0)),
  def('flush.messages', 'long', LONG_MAX, 'log.flush.interval.messages', atLeast(1)),
  def('flush.ms', 'long', LONG_MAX, 'log.flush.interval.ms', atLeast(0)),
  def('follower.replication.throttled.replicas', 'list', '', null, throttledReplicas),
  def('index.interval.bytes', 'int', '4096', 'log.index.interval.bytes', atLeast(0)),
  def('leader.replication.throttled.replicas', 'list', '', null, throttledReplicas),
  def('local.retention.bytes', 'long', '-2', 'log.local.retention.bytes', atLeast(-2)),
  def('local.retention.ms', 'long', '-2', 'log.local.retention.ms', atLeast(-2)),
  def('max.compaction.lag.ms', 'long', LONG_MAX, 'log.cleaner.max.compaction.lag.ms', atLeast(1)),
  def('max.message.bytes', 'int', '1048588', 'message.max.bytes', atLeast(0)),
  def('message.timestamp.after.max.ms', 'long', '3600000', 'log.message.timestamp.after.max.ms', atLeast(0)),
  def('message.timestamp.before.max.ms', 'long', LONG_MAX, 'log.message.timestamp.before.max.ms', atLeast(0)),
  def('message.timestamp.type', 'string', 'CreateTime', 'log.message.timestamp.type', oneOf(['CreateTime', 'LogAppendTime'])),
  def('min.cleanable.dirty.ratio', 'double', '0.5', 'log.cleaner.min.cleanable.ratio', between(0, 1)),
  def('min.compaction.lag.ms', 'long', '0', 'log.cleaner.min.compaction.lag.ms', atLeast(0)),
  def('min.insync.replicas', 'int', '1', 'min.insync.replicas', atLeast(1), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
  def('preallocate', 'boolean', 'false', 'log.preallocate'),
  def('remote.log.copy.disable', 'boolean', 'false', null),
  def('remote.log.delete.on.disable', 'boolean', 'false', null),
  def('remote.storage.enable', 'boolean', 'false', null),
  def('retention.bytes', 'long', '-1', 'log.retention.bytes'),
  def('retention.ms', 'long', '604800000', 'log.retention.ms', atLeast(-1)),
  def('segment.bytes', 'int', '1073741824', 'log.segment.bytes', atLeast(14)),
  def('segment.index.bytes', 'int', '10485760', 'log.index.size.max.bytes', atLeast(4)),
  def('segment.jitter.ms', 'long', '0', 'log.roll.jitter.ms', atLeast(0)),
  def('segment.ms', 'long', '604800000', 'log.roll.ms', atLeast(1)),
  def('unclean.leader.election.enable', 'boolean', 'false', 'unclean.leader.election.enable'),
];

const BY_NAME = new Map(TOPIC_CONFIGS.map((d) => [d.name, d]));

export function topicConfigDefinition(name: string): TopicConfigDefinition | undefined {
  return BY_NAME.get(name);
}

export function configTypeOf(d: TopicConfigDefinition): number {
  const types: Record<Kind, number> = {
    boolean: ConfigType.BOOLEAN,
    string: ConfigType.STRING,
    int: ConfigType.INT,
    long: ConfigType.LONG,
    double: ConfigType.DOUBLE,
    list: ConfigType.LIST,
  };
  return types[d.kind];
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function typeProblem(kind: Kind, value: string): string | null {
  const integer = (limits: { min: bigint; max: bigint }, type: string): string | null => {
    if (!/^[-+]?\d+$/.test(value)) return `Not a number of type ${type}`;
    const n = BigInt(value);
    return n < limits.min || n > limits.max ? `Not a number of type ${type}` : null;
  };
  switch (kind) {
    case 'boolean':
      return /^(true|false)$/i.test(value) ? null : 'Expected value to be either true or false';
    case 'int':
      return integer(INT_LIMITS, 'INT');
    case 'long':
      return integer(LONG_LIMITS, 'LONG');
    case 'double':
      return value !== '' && Number.isFinite(Number(value)) ? null : 'Not a number of type DOUBLE';
    default:
      return null;
  }
}

/** Throws INVALID_CONFIG (40) for an unknown key, a null value or a value Kafka would reject. Returns the trimmed value. */
export function validateTopicConfig(name: string, value: string | null): string {
  const d = BY_NAME.get(name);
  if (!d) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
  if (value === null) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${name}`);
  const trimmed = value.trim();
  const problem = typeProblem(d.kind, trimmed) ?? d.validate?.(trimmed) ?? null;
  if (problem) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}: ${problem}`);
  return trimmed;
}
