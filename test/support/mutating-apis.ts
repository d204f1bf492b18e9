/** The Kafka APIs that change a cluster, for counting a run's writes in the test broker's request stats. */
export const MUTATING_APIS = ['CreateTopics', 'CreatePartitions', 'DeleteTopics', 'AlterConfigs', 'IncrementalAlterConfigs', 'CreateAcls', 'DeleteAcls', 'AlterClientQuotas'];

/** The mutating entries of a request count by API name. */
export function mutationsIn(requests: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(requests).filter(([api]) => MUTATING_APIS.includes(api)));
}

const kafkajsKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
/** Requests meshform sends that kafkajs has no name for (its own encoders, src/adapters/kafka/client/requests). */
const OWN_KEYS: Record<string, number> = { DescribeClientQuotas: 48, AlterClientQuotas: 49 };
const NAMES = new Map(Object.entries({ ...kafkajsKeys, ...OWN_KEYS }).map(([name, key]) => [key, name]));

/** A request's API name from its key, as Kafka's protocol guide spells it (`api <key>` when unknown). */
export function apiName(key: number): string {
  return NAMES.get(key) ?? `api ${key}`;
}

/**
 * Whether a no-op run read the cluster once: no request kind twice and nothing written (Metadata,
 * DescribeConfigs, DescribeAcls, DescribeClientQuotas and the SASL handshake: 7 requests since
 * client quotas are managed; the targets were written as <= 6 before that). A line for a bench.
 */
export function readsOnce(requests: Record<string, number>): string {
  const twice = Object.entries(requests).filter(([, n]) => n > 1).map(([api]) => api);
  const writes = Object.values(mutationsIn(requests)).reduce((a, b) => a + b, 0);
  const missed = [...twice.map((api) => `${api} more than once`), ...(writes > 0 ? [`${writes} mutating`] : [])];
  return `reads the cluster once (no request kind twice, none mutating): ${missed.length === 0 ? 'OK' : `MISSED (${missed.join(', ')})`}`;
}
