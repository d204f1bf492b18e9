import type { RequestContext } from './api';

/**
 * A ZooKeeper-mode Kafka (<= 3.9 without KRaft) serves topic writes (CreateTopics, CreatePartitions,
 * DeleteTopics) on the controller only: any other broker answers every topic with NOT_CONTROLLER and
 * does nothing. KRaft brokers forward them instead (the default here). On with `zookeeperMode`.
 */
export function notTheController(context: RequestContext): boolean {
  return context.settings.zookeeperMode === true && context.node.nodeId !== context.cluster.controllerId;
}
