/**
 * The access matrix: who may read and write each topic, decided from the plan's Kafka ACLs the
 * way Kafka's StandardAuthorizer decides (docs/access-model.md), not from the spec's grants, so
 * the catalog shows what the cluster will enforce.
 */
import { ANY_PRINCIPAL } from '../plan/principal';
import type { KafkaAclProps, Resource } from '../plan/types';

export interface TopicAccess {
  read: boolean;
  write: boolean;
}

/** A principal no ACL names: what "anyone else" gets. */
const SOME_OTHER_PRINCIPAL = 'User:\u0000someone-else';

export function topicAcls(resources: readonly Resource[]): KafkaAclProps[] {
  return resources.flatMap((r) => (r.kind === 'kafka:Acl' && r.properties.resourceType === 'TOPIC' ? [r.properties] : []));
}

/**
 * Topic ACLs indexed for many lookups: LITERAL ones by name, PREFIXED ones in a list. A row of the
 * matrix gathers the ACLs covering its topic once; each cell then only checks principal and operation.
 */
export class TopicAclIndex {
  private readonly literal = new Map<string, KafkaAclProps[]>();
  /** By prefix: a topic's covering prefixes are found by looking up each of its own prefixes. */
  private readonly prefixed = new Map<string, KafkaAclProps[]>();

  constructor(acls: readonly KafkaAclProps[]) {
    for (const acl of acls) {
      const index = acl.patternType === 'PREFIXED' ? this.prefixed : this.literal;
      index.set(acl.resourceName, [...(index.get(acl.resourceName) ?? []), acl]);
    }
  }

  /** Every ACL that applies to the topic (LITERAL name or `*`, or a PREFIXED prefix of it). */
  covering(topic: string): KafkaAclProps[] {
    const found = [...(this.literal.get(topic) ?? []), ...(this.literal.get('*') ?? [])];
    for (let end = 1; end <= topic.length; end++) found.push(...(this.prefixed.get(topic.slice(0, end)) ?? []));
    return found;
  }
}

/** `User:*` stands for any principal the ACLs do not name. `covering`: the ACLs that apply to the topic. */
export function accessUnder(covering: readonly KafkaAclProps[], principal: string): TopicAccess {
  const who = principal === ANY_PRINCIPAL ? SOME_OTHER_PRINCIPAL : principal;
  return { read: allowed(covering, who, 'READ'), write: allowed(covering, who, 'WRITE') };
}

export function topicAccess(acls: readonly KafkaAclProps[], principal: string, topic: string): TopicAccess {
  return accessUnder(new TopicAclIndex(acls).covering(topic), principal);
}

/** Principals an ACL on one of the topics names: everyone else has exactly what `User:*` has there. */
export function namedPrincipals(index: TopicAclIndex, topics: readonly string[]): Set<string> {
  const named = new Set<string>();
  for (const topic of topics) for (const acl of index.covering(topic)) if (acl.principal !== ANY_PRINCIPAL) named.add(acl.principal);
  return named;
}

function allowed(covering: readonly KafkaAclProps[], principal: string, operation: 'READ' | 'WRITE'): boolean {
  const matching = covering.filter((acl) => (acl.principal === principal || acl.principal === ANY_PRINCIPAL) && (acl.operation === operation || acl.operation === 'ALL'));
  return !matching.some((acl) => acl.permission === 'DENY') && matching.some((acl) => acl.permission === 'ALLOW');
}
