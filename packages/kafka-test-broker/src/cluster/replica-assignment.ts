import { ErrorCode, KafkaError } from '../protocol/errors';
import { ClusterState } from './cluster-state';

/** Checks an explicit assignment (one broker list per partition) and throws INVALID_REPLICA_ASSIGNMENT (39). */
export function validateAssignment(cluster: ClusterState, assignment: readonly number[][], expectedReplicas?: number): void {
  const fail = (why: string): never => {
    throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, why);
  };
  const known = new Set(cluster.nodeIds());
  const width = expectedReplicas ?? assignment[0]?.length ?? 0;
  assignment.forEach((replicas, i) => {
    if (replicas.length === 0) fail(`The manual partition assignment includes a partition (${i}) with no replicas.`);
    if (new Set(replicas).size !== replicas.length) fail(`The manual partition assignment includes the broker ${replicas.join(',')} more than once.`);
    const unknown = replicas.find((id) => !known.has(id));
    if (unknown !== undefined) fail(`The manual partition assignment includes broker ${unknown}, but no such broker is registered.`);
    if (replicas.length !== width) fail(`The manual partition assignment includes a partition with ${replicas.length} replica(s), but this is not consistent with previous partitions, which have ${width} replica(s).`);
  });
}

/** Throws INVALID_REPLICATION_FACTOR (38) for a factor below 1 or above the number of broker nodes. */
export function validateReplicationFactor(cluster: ClusterState, replicationFactor: number): void {
  if (replicationFactor < 1) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0, or -1 to use the default value.');
  const brokers = cluster.nodes.length;
  if (replicationFactor > brokers) {
    throw new KafkaError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${brokers} broker(s) are registered.`,
    );
  }
}
