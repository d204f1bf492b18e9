import { RequestContext } from '../apis/api';
import { BrokerNode, ClusterState } from '../cluster/cluster-state';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { ConsumerGroup } from './consumer-group';
import { perCluster } from './per-cluster';

/** The consumer groups of one cluster; one node (the first) coordinates them all. */
export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();

  constructor(private readonly cluster: ClusterState) {
    cluster.onTopicRemoved((topic) => this.groups.forEach((g) => g.offsets.forgetTopic(topic.name)));
  }

  get node(): BrokerNode {
    return this.cluster.nodes[0];
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  /** Every group, by id. */
  allGroups(): ConsumerGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  groupOrNew(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ConsumerGroup(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }
}

export const coordinatorOf = perCluster((cluster) => new GroupCoordinator(cluster));

/**
 * The checks every group request starts with, in Kafka's order after authorization: a group id
 * that is not empty (24) and a request that reached the coordinator (16, so the client looks it up again).
 */
export function checkGroupRequest(context: RequestContext, groupId: string): GroupCoordinator {
  if (groupId === '') throw new KafkaError(ErrorCode.INVALID_GROUP_ID, 'The group id must not be empty.');
  const coordinator = coordinatorOf(context.cluster);
  if (context.node.nodeId !== coordinator.node.nodeId) throw new KafkaError(ErrorCode.NOT_COORDINATOR, `Broker ${context.node.nodeId} is not the group coordinator.`);
  return coordinator;
}
