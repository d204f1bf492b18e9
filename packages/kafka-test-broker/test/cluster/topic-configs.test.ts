import { TOPIC_CONFIGS, validateTopicConfig } from '../../src/cluster/topic-configs';
import { validateTopicName } from '../../src/cluster/topic-name';

const refusal = (check: () => unknown) => {
  try {
    check();
  } catch (e) {
    return { code: (e as { code: number }).code, message: (e as Error).message };
  }
  return null;
};

describe('topic config table', () => {
  it('accepts every default value it reports', () => {
    for (const d of TOPIC_CONFIGS) expect(validateTopicConfig(d.name, d.defaultValue)).toBe(d.defaultValue);
  });

  it.each([
    ['retention.ms', '-1'],
    ['retention.bytes', '-5'],
    ['cleanup.policy', 'compact, delete'],
    ['min.cleanable.dirty.ratio', '0.25'],
    ['unclean.leader.election.enable', 'TRUE'],
    ['max.message.bytes', '2147483647'],
    ['leader.replication.throttled.replicas', '0:1,1:2'],
    ['compression.type', 'zstd'],
  ])('accepts %s=%s', (name, value) => {
    expect(refusal(() => validateTopicConfig(name, value))).toBeNull();
  });

  it.each([
    ['retention.ms', '-2', 'Invalid value -2 for configuration retention.ms: Value must be at least -1'],
    ['retention.ms', '1h', 'Invalid value 1h for configuration retention.ms: Not a number of type LONG'],
    ['max.message.bytes', '2147483648', 'Invalid value 2147483648 for configuration max.message.bytes: Not a number of type INT'],
    ['min.cleanable.dirty.ratio', '1.5', 'Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no less than 0 and no greater than 1'],
    ['compression.type', 'brotli', 'Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer'],
    ['preallocate', 'yes', 'Invalid value yes for configuration preallocate: Expected value to be either true or false'],
    ['retention.mss', '1', 'Unknown topic config name: retention.mss'],
    ['segment.bytes', null, 'Null value not supported for topic configs: segment.bytes'],
  ])('refuses %s=%s with INVALID_CONFIG (40)', (name, value, message) => {
    expect(refusal(() => validateTopicConfig(name, value))).toEqual({ code: 40, message });
  });
});

describe('topic names', () => {
  it.each(['a', 'acme.orders_v1-x', 'x'.repeat(249), '...'])('accepts %s', (name) => {
    expect(refusal(() => validateTopicName(name))).toBeNull();
  });

  it.each(['', '.', '..', 'x'.repeat(250), 'a b', 'ä', 'a/b'])('refuses %j with INVALID_TOPIC_EXCEPTION (17)', (name) => {
    expect(refusal(() => validateTopicName(name))?.code).toBe(17);
  });
});
