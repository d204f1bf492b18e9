/**
 * ClusterSnapshot: the Pulumi provider's indexed copy of the cluster. A product's slice must be
 * exactly what the product owns by the naming rules (written out by hand below), whatever else the
 * cluster holds: nested products, a product id that is another's name prefix, `p-` groups, CLUSTER
 * bindings by principal, declared names outside the convention.
 */
import { ClusterSnapshot, OwnershipScope, aclKey, type ActualTopic, type ClusterState } from '../../src/adapters/kafka';
import type { KafkaAclProps } from '../../src/plan/types';

const topic = (name: string, partitions = 3): ActualTopic => ({ name, partitions, replicas: 1, config: {}, hiddenKeys: [] });
const acl = (principal: string, resourceType: KafkaAclProps['resourceType'], patternType: KafkaAclProps['patternType'], resourceName: string, operation: KafkaAclProps['operation'] = 'READ'): KafkaAclProps => ({
  principal,
  resourceType,
  patternType,
  resourceName,
  operation,
  permission: 'ALLOW',
  host: '*',
});
const state = (topics: ActualTopic[], acls: KafkaAclProps[]): ClusterState => ({ topics: new Map(topics.map((t) => [t.name, t])), acls, aclKeys: new Set(acls.map(aclKey)) });
const scopeOf = (product: string) => new OwnershipScope([product], new Map([[product, `User:${product}`]]));
const none = { topics: new Set<string>(), acls: new Set<string>() };
const topicNames = (s: ClusterState) => [...s.topics.keys()].sort();
const aclTexts = (s: ClusterState) => s.acls.map((a) => `${a.principal} ${a.resourceType}:${a.patternType}:${a.resourceName} ${a.operation}`).sort();

const cluster = state(
  [
    topic('acme.user._public.profile'),
    topic('acme.user._private.state'),
    topic('acme.user.profile._public.views'), // nested product acme.user.profile
    topic('acme.userprops._public.props'), // acme.user is only its name prefix
    topic('acme.user.legacy-topic'), // no visibility segment: nobody's by the rules
    topic('other.topic'),
  ],
  [
    acl('User:acme.user', 'TOPIC', 'PREFIXED', 'acme.user._public.'),
    acl('User:*', 'TOPIC', 'LITERAL', 'acme.user._public.profile'),
    acl('User:acme.user', 'GROUP', 'PREFIXED', 'acme.user.'),
    acl('User:acme.user', 'GROUP', 'PREFIXED', 'acme.user-'),
    acl('User:acme.user', 'CLUSTER', 'LITERAL', 'kafka-cluster', 'IDEMPOTENT_WRITE'),
    acl('User:acme.user', 'TOPIC', 'LITERAL', 'acme.userprops._public.props'), // a grant by acme.userprops
    acl('User:acme.user.profile', 'TOPIC', 'PREFIXED', 'acme.user.profile._public.'),
    acl('User:acme.user.profile', 'CLUSTER', 'LITERAL', 'kafka-cluster', 'IDEMPOTENT_WRITE'),
    acl('User:*', 'TOPIC', 'LITERAL', '*'),
  ],
);

describe('ClusterSnapshot', () => {
  it("selects exactly a product's topics and bindings, not a nested product's nor a name-prefix neighbour's", () => {
    const slice = new ClusterSnapshot(cluster).select(scopeOf('acme.user'), none);
    expect(topicNames(slice)).toEqual(['acme.user._private.state', 'acme.user._public.profile']);
    expect(aclTexts(slice)).toEqual([
      'User:* TOPIC:LITERAL:acme.user._public.profile READ',
      'User:acme.user CLUSTER:LITERAL:kafka-cluster IDEMPOTENT_WRITE',
      'User:acme.user GROUP:PREFIXED:acme.user- READ',
      'User:acme.user GROUP:PREFIXED:acme.user. READ',
      'User:acme.user TOPIC:PREFIXED:acme.user._public. READ',
    ]);
    expect([...slice.aclKeys].sort()).toEqual(slice.acls.map(aclKey).sort());
  });

  it('admits declared names outside the naming rules', () => {
    const declaredAcl = acl('User:*', 'TOPIC', 'LITERAL', '*');
    const slice = new ClusterSnapshot(cluster).select(scopeOf('acme.user'), { topics: new Set(['acme.user.legacy-topic', 'absent']), acls: new Set([aclKey(declaredAcl)]) });
    expect(topicNames(slice)).toEqual(['acme.user._private.state', 'acme.user._public.profile', 'acme.user.legacy-topic']);
    expect(aclTexts(slice)).toContain('User:* TOPIC:LITERAL:* READ');
  });

  it("replaces one product's slice and leaves every other product's as it was", () => {
    const snapshot = new ClusterSnapshot(cluster);
    const nested = scopeOf('acme.user.profile');
    const nestedBefore = snapshot.select(nested, none);
    const neighbourBefore = snapshot.select(scopeOf('acme.userprops'), none);
    snapshot.replace(scopeOf('acme.user'), none, state([topic('acme.user._public.profile', 6)], [acl('User:acme.user', 'GROUP', 'PREFIXED', 'acme.user.')]));

    const after = snapshot.select(scopeOf('acme.user'), none);
    expect(topicNames(after)).toEqual(['acme.user._public.profile']);
    expect(after.topics.get('acme.user._public.profile')?.partitions).toBe(6);
    expect(aclTexts(after)).toEqual(['User:acme.user GROUP:PREFIXED:acme.user. READ']);
    expect(snapshot.select(nested, none)).toEqual(nestedBefore);
    expect(snapshot.select(scopeOf('acme.userprops'), none)).toEqual(neighbourBefore);
    // The grant acme.userprops gave acme.user is acme.userprops's, so it outlived acme.user's replace.
    expect(aclTexts(snapshot.select(scopeOf('acme.userprops'), none))).toEqual(['User:acme.user TOPIC:LITERAL:acme.userprops._public.props READ']);
  });
});
