import { ClusterState } from '../cluster/cluster-state';

/**
 * An accessor for data-plane state kept beside a cluster rather than in it: made on first use,
 * then the same object for that cluster, and gone with it (a WeakMap, so stopped brokers leak nothing).
 */
export function perCluster<T>(create: (cluster: ClusterState) => T): (cluster: ClusterState) => T {
  const byCluster = new WeakMap<ClusterState, T>();
  return (cluster) => {
    let state = byCluster.get(cluster);
    if (state === undefined) {
      state = create(cluster);
      byCluster.set(cluster, state);
    }
    return state;
  };
}
