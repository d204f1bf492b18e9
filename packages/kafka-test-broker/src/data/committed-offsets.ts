export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

/** A group's committed offsets by topic and partition, in memory only. */
export class CommittedOffsets {
  private readonly byTopic = new Map<string, Map<number, CommittedOffset>>();

  commit(topic: string, partition: number, committed: CommittedOffset): void {
    let partitions = this.byTopic.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.byTopic.set(topic, partitions);
    }
    partitions.set(partition, committed);
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  /** Every topic with a committed offset, each with its partitions in order. */
  all(): Array<{ topic: string; partitions: number[] }> {
    return [...this.byTopic.entries()].map(([topic, partitions]) => ({ topic, partitions: [...partitions.keys()].sort((a, b) => a - b) }));
  }

  /** Kafka drops a deleted topic's offsets from every group. */
  forgetTopic(topic: string): void {
    this.byTopic.delete(topic);
  }
}
