import { PartitionState, TopicState } from '../cluster/cluster-state';
import { RequestContext } from '../apis/api';
import { topicConfigDefinition } from '../cluster/topic-configs';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { PartitionLog } from './partition-log';
import { logsOf } from './partition-logs';

export interface LedPartition {
  topic: TopicState;
  partition: PartitionState;
  log: PartitionLog;
}

/**
 * The partition a data request names, on the node that leads it: unknown topic or partition is
 * UNKNOWN_TOPIC_OR_PARTITION (3), a node that does not lead it answers NOT_LEADER_OR_FOLLOWER (6)
 * so the client refreshes its metadata, as with Kafka.
 */
export function leaderPartition(context: RequestContext, topicName: string, index: number): LedPartition {
  const topic = context.cluster.topic(topicName);
  const partition = topic?.partitions[index];
  if (!topic || !partition) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
  if (partition.leader !== context.node.nodeId) {
    throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${context.node.nodeId} is not the leader of ${topicName}-${index}.`);
  }
  return { topic, partition, log: logsOf(context.cluster).log(topic, index) };
}

/** The effective value of a topic config: set on the topic or the broker default. */
export function topicConfig(topic: TopicState, name: string): string {
  const value = topic.configs.get(name) ?? topicConfigDefinition(name)?.defaultValue;
  if (value === undefined) throw new Error(`unknown topic config ${name}`);
  return value;
}
