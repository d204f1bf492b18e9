import { ClusterState, TopicState } from '../cluster/cluster-state';
import { PartitionLog } from './partition-log';
import { perCluster } from './per-cluster';

/** Every partition's log of one cluster, keyed by topic id so a re-created topic starts empty. */
export class PartitionLogs {
  private readonly byTopicId = new Map<string, PartitionLog[]>();

  constructor(cluster: ClusterState) {
    cluster.onTopicRemoved((topic) => this.byTopicId.delete(topic.topicId));
  }

  /** The log of an existing partition; created empty on first use (partitions may be added at any time). */
  log(topic: TopicState, partition: number): PartitionLog {
    let logs = this.byTopicId.get(topic.topicId);
    if (!logs) {
      logs = [];
      this.byTopicId.set(topic.topicId, logs);
    }
    logs[partition] ??= new PartitionLog();
    return logs[partition];
  }
}

export const logsOf = perCluster((cluster) => new PartitionLogs(cluster));
