/**
 * The access matrix: who may read and write each topic, decided from the plan's Kafka ACLs the
 * way Kafka's StandardAuthorizer decides (README "Access model"), not from the spec's grants, so
 * the catalog shows what the cluster will enforce.
 */
import type { KafkaAclProps, Resource } from '../../plan/types';

export interface TopicAccess {
  read: boolean;
  write: boolean;
}

/** A principal no ACL names: what "anyone else" gets. */
const SOME_OTHER_PRINCIPAL = 'User:\u0000someone-else';

export function topicAcls(resources: readonly Resource[]): KafkaAclProps[] {
  return resources.flatMap((r) => (r.kind === 'kafka:Acl' && r.properties.resourceType === 'TOPIC' ? [r.properties] : []));
}

/** `User:*` stands for any principal the ACLs do not name. */
export function topicAccess(acls: readonly KafkaAclProps[], principal: string, topic: string): TopicAccess {
  const who = principal === 'User:*' ? SOME_OTHER_PRINCIPAL : principal;
  return { read: allowed(acls, who, topic, 'READ'), write: allowed(acls, who, topic, 'WRITE') };
}

function allowed(acls: readonly KafkaAclProps[], principal: string, topic: string, operation: 'READ' | 'WRITE'): boolean {
  const matching = acls.filter(
    (acl) =>
      (acl.principal === principal || acl.principal === 'User:*') &&
      (acl.operation === operation || acl.operation === 'ALL') &&
      covers(acl, topic),
  );
  return !matching.some((acl) => acl.permission === 'DENY') && matching.some((acl) => acl.permission === 'ALLOW');
}

function covers(acl: KafkaAclProps, topic: string): boolean {
  if (acl.patternType === 'PREFIXED') return topic.startsWith(acl.resourceName);
  return acl.resourceName === topic || acl.resourceName === '*';
}
