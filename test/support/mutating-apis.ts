/** The Kafka APIs that change a cluster, for counting a run's writes in the test broker's request stats. */
export const MUTATING_APIS = ['CreateTopics', 'CreatePartitions', 'DeleteTopics', 'AlterConfigs', 'IncrementalAlterConfigs', 'CreateAcls', 'DeleteAcls'];

/** The mutating entries of a request count by API name. */
export function mutationsIn(requests: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(requests).filter(([api]) => MUTATING_APIS.includes(api)));
}
