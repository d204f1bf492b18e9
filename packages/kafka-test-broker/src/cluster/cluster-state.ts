import { randomBytes } from 'crypto';
import { AclBinding, bindingKey } from './acl';

export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
}

export interface PartitionState {
  index: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicState {
  name: string;
  /** base64url, as Kafka prints Uuids. */
  topicId: string;
  partitions: PartitionState[];
  /** Only values set on the topic; defaults live in topic-configs.ts. */
  configs: Map<string, string>;
}

/**
 * Everything the cluster knows, shared by all broker nodes of one test broker. Nothing is
 * replicated or persisted: every node answers from this one in-memory state.
 */
export class ClusterState {
  readonly clusterId = randomBytes(16).toString('base64url');
  /** The node Metadata and DescribeCluster name as the controller. */
  controllerId = 0;
  readonly nodes: BrokerNode[] = [];
  /** Every ACL binding; changed only through addAcl and removeAcls, which keep `aclKeys` with it. */
  readonly acls: AclBinding[] = [];
  private readonly aclKeys = new Set<string>();
  private readonly topics = new Map<string, TopicState>();
  private readonly removalListeners: Array<(topic: TopicState) => void> = [];

  /** Adds a binding unless the same one exists (Kafka answers both with success). */
  addAcl(binding: AclBinding): void {
    const key = bindingKey(binding);
    if (this.aclKeys.has(key)) return;
    this.aclKeys.add(key);
    this.acls.push(binding);
  }

  /** Removes the bindings `matches` selects and returns them. */
  removeAcls(matches: (binding: AclBinding) => boolean): AclBinding[] {
    const removed: AclBinding[] = [];
    const kept: AclBinding[] = [];
    for (const b of this.acls) (matches(b) ? removed : kept).push(b);
    if (removed.length === 0) return removed;
    this.acls.length = 0;
    for (const b of kept) this.acls.push(b);
    for (const b of removed) this.aclKeys.delete(bindingKey(b));
    return removed;
  }

  topic(name: string): TopicState | undefined {
    return this.topics.get(name);
  }

  topicById(topicId: string): TopicState | undefined {
    return [...this.topics.values()].find((t) => t.topicId === topicId);
  }

  get topicCount(): number {
    return this.topics.size;
  }

  allTopics(): TopicState[] {
    return [...this.topics.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  nodeIds(): number[] {
    return this.nodes.map((n) => n.nodeId);
  }

  /**
   * Round-robin replica placement starting at a per-topic offset, like Kafka's rack-unaware
   * assignment: partition p's replicas are nodes p+s, p+s+1, ... (mod N); the first one leads.
   */
  assignReplicas(firstPartition: number, count: number, replicationFactor: number, start: number): number[][] {
    const ids = this.nodeIds();
    const assignment: number[][] = [];
    for (let p = firstPartition; p < firstPartition + count; p++) {
      const replicas: number[] = [];
      for (let r = 0; r < replicationFactor; r++) replicas.push(ids[(p + start + r) % ids.length]);
      assignment.push(replicas);
    }
    return assignment;
  }

  createTopic(name: string, assignment: number[][], configs: Map<string, string>): TopicState {
    const topic: TopicState = {
      name,
      topicId: randomBytes(16).toString('base64url'),
      partitions: assignment.map((replicas, index) => partitionOf(index, replicas)),
      configs,
    };
    this.topics.set(name, topic);
    return topic;
  }

  addPartitions(topic: TopicState, assignment: number[][]): void {
    const first = topic.partitions.length;
    assignment.forEach((replicas, i) => topic.partitions.push(partitionOf(first + i, replicas)));
  }

  deleteTopic(name: string): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    this.topics.delete(name);
    for (const listener of this.removalListeners) listener(topic);
  }

  /** Lets data-plane state (logs, committed offsets) forget a deleted topic. */
  onTopicRemoved(listener: (topic: TopicState) => void): void {
    this.removalListeners.push(listener);
  }
}

function partitionOf(index: number, replicas: number[]): PartitionState {
  return { index, leader: replicas[0], replicas: [...replicas], isr: [...replicas] };
}
