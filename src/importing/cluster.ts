/**
 * A live cluster as an estate (`meshform import cluster`): every topic but Kafka's internal ones
 * (`__consumer_offsets`, `__transaction_state`, any `__` name) with its partitions, replicas and
 * the configs set on it, and every ACL binding. Nobody groups principals here: products come from
 * the owner map, or from who writes what (draft.ts). Read with the reconcile engine's one
 * whole-cluster read (Metadata, DescribeConfigs, DescribeAcls).
 */
import type { ClusterState } from '../adapters/kafka/engine/state';
import { compareText } from '../compare';
import { emptyEstate, type Estate } from './estate';

export function estateOfCluster(state: ClusterState): Estate {
  const estate = emptyEstate('cluster');
  for (const topic of [...state.topics.values()].sort((a, b) => compareText(a.name, b.name))) {
    if (topic.name.startsWith('__')) continue;
    estate.topics.push({ name: topic.name, partitions: topic.partitions, replicas: topic.replicas, config: { ...topic.config } });
    for (const key of topic.hiddenKeys) estate.unmapped.push({ what: `topic ${topic.name}: config ${key}`, why: 'the broker hides its value (sensitive): set it in the spec by hand' });
  }
  estate.acls.push(...state.acls);
  return estate;
}
