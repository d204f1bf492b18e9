/** Small builders for plan resources and cluster states, named for what they show. */
import type { KafkaAcl, KafkaAclProps, KafkaTopic } from '../../src/plan/types';
import { aclKey, type ActualTopic, type ClusterState } from '../../src/adapters/kafka/engine/state';

export function topic(product: string, name: string, partitions = 3, replicas = 1, config: Record<string, string> = {}): KafkaTopic {
  return { kind: 'kafka:Topic', name: `${product}/topic/${name}`, product, properties: { topic: name, partitions, replicas, config } };
}

export function acl(product: string, props: Partial<KafkaAclProps> & Pick<KafkaAclProps, 'principal' | 'resourceName'>): KafkaAcl {
  const full: KafkaAclProps = { resourceType: 'TOPIC', patternType: 'LITERAL', operation: 'READ', permission: 'ALLOW', host: '*', ...props };
  return { kind: 'kafka:Acl', name: `${product}/acl/${full.principal}/${full.operation}/${full.resourceName}`, product, properties: full };
}

/** The owner ACL the plan writes for every product: PREFIXED `<product>.`. */
export function ownerAcl(product: string, operation: KafkaAclProps['operation'] = 'WRITE'): KafkaAcl {
  return acl(product, { principal: `User:${product}`, resourceName: `${product}.`, patternType: 'PREFIXED', operation });
}

export function actualTopic(name: string, partitions = 3, replicas = 1, config: Record<string, string> = {}): ActualTopic {
  return { name, partitions, replicas, config, hiddenKeys: [] };
}

export function state(topics: ActualTopic[] = [], acls: KafkaAclProps[] = []): ClusterState {
  return { topics: new Map(topics.map((t) => [t.name, t])), acls, aclKeys: new Set(acls.map(aclKey)) };
}

/** The topics of the specs in test/kafka/specs/access, written out by hand, sorted. */
export const ACCESS_SPEC_TOPICS = [
  'acme.billing._public.invoices',
  'acme.user._private.sessions',
  'acme.user._protected.profiles',
  'acme.user._public.signups',
  'acme.userprops._protected.settings',
  'acme.userprops._public.changes',
];
