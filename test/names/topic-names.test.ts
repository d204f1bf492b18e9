/** The topic-name rule on the cases people ask about, every expected value written by hand. */
import {
  NameIndex,
  adoptedTopicProblem,
  claimConflicts,
  claimCovers,
  claimPattern,
  claimProblem,
  clientPrefixes,
  collisionKey,
  deniedToAncestors,
  idInName,
  inNamespace,
  namespaceCandidates,
  ownerPatterns,
  patternCovers,
  qualify,
  qualifyAddress,
  shortTopicName,
  specmeshTopic,
  streamsPatterns,
  topicNameProblem,
  topicPattern,
  topicPrefixes,
  visibilityUnder,
} from '../../src/vocabulary/topic-names';

const index = new NameIndex(['acme.user', 'acme.userprops', 'acme.user.profile', 'acme.user-eu']);

describe('prefix-sharing products: acme.user, acme.userprops, acme.user.profile, acme.user-eu', () => {
  test('topics', () => {
    expect(qualify('acme.user', 'protected', 'login')).toBe('acme.user._protected.login');
    expect(index.ownerOfTopic('acme.user._public.login')).toBe('acme.user');
    expect(index.ownerOfTopic('acme.userprops._public.changed')).toBe('acme.userprops');
    expect(index.ownerOfTopic('acme.user.profile._private.state')).toBe('acme.user.profile');
    expect(index.ownerOfTopic('acme.user-eu._public.login')).toBe('acme.user-eu');
    // Claimed by acme.user, but under none of its visibility prefixes.
    expect(index.ownerOfTopic('acme.user.orders')).toBeUndefined();
    expect(index.claimantOf('acme.user.orders')).toBe('acme.user');
    expect(index.ownerOfTopic('acme.user._public')).toBeUndefined();
    expect(index.ownerOfTopic('acme._public.x')).toBeUndefined();
    expect(visibilityUnder('acme.user.profile._private.state', 'acme.user.profile')).toBe('private');
    expect(shortTopicName('acme.user._protected.login', 'acme.user')).toBe('login');
    expect(idInName('acme.user.profile._private.state')).toBe('acme.user.profile');
  });

  test('groups and transactional ids: the longest id followed by . or -', () => {
    expect(index.ownerOfClient('acme.user.app')).toBe('acme.user');
    expect(index.ownerOfClient('acme.user-app')).toBe('acme.user');
    expect(index.ownerOfClient('acme.user-eu-app')).toBe('acme.user-eu');
    expect(index.ownerOfClient('acme.user.profile.app')).toBe('acme.user.profile');
    expect(index.ownerOfClient('acme.userprops-app')).toBe('acme.userprops');
    expect(index.ownerOfClient('acme.users.app')).toBeUndefined();
    expect(index.ancestorsOf('acme.user.profile')).toEqual(['acme.user']);
    expect(index.ancestorsOf('acme.user-eu')).toEqual(['acme.user']);
    expect(index.ancestorsOf('acme.userprops')).toEqual([]);
  });

  test('the reconcile scope: client prefixes as names, and anything under <id>._', () => {
    expect(index.ownerOfResource('acme.user.')).toBe('acme.user');
    expect(index.ownerOfResource('acme.user-')).toBe('acme.user');
    expect(index.ownerOfResource('acme.user-eu-')).toBe('acme.user-eu');
    expect(index.ownerOfResource('acme.user._private.')).toBe('acme.user');
    expect(index.ownerOfResource('acme.user.profile.')).toBe('acme.user.profile');
    expect(index.ownerOfResource('acme.user.orders')).toBeUndefined();
    expect(index.ownerOfResource('acme.user.profile')).toBeUndefined();
    expect(index.ownerOfResource('acme.user-eu')).toBeUndefined();
  });

  test('the patterns that cover acme.user', () => {
    expect(topicPrefixes('acme.user')).toEqual(['acme.user._public.', 'acme.user._protected.', 'acme.user._private.']);
    expect(clientPrefixes('acme.user')).toEqual(['acme.user.', 'acme.user-']);
    expect(ownerPatterns('acme.user').map((p) => `${p.resourceType} ${p.patternType} ${p.resourceName}`)).toEqual([
      'TOPIC PREFIXED acme.user._public.',
      'TOPIC PREFIXED acme.user._protected.',
      'TOPIC PREFIXED acme.user._private.',
      'GROUP PREFIXED acme.user.',
      'GROUP PREFIXED acme.user-',
      'TRANSACTIONAL_ID PREFIXED acme.user.',
      'TRANSACTIONAL_ID PREFIXED acme.user-',
    ]);
    expect(streamsPatterns('acme.user')).toEqual([{ resourceType: 'TOPIC', patternType: 'PREFIXED', resourceName: 'acme.user._private.' }]);
    expect(deniedToAncestors('acme.user.profile').map((p) => `${p.resourceType} ${p.resourceName}`)).toEqual([
      'GROUP acme.user.profile.',
      'GROUP acme.user.profile-',
      'TRANSACTIONAL_ID acme.user.profile.',
      'TRANSACTIONAL_ID acme.user.profile-',
    ]);
    // acme.user's group prefix reaches acme.user.profile's groups (hence the DENY), never acme.userprops'.
    const group = ownerPatterns('acme.user').find((p) => p.resourceType === 'GROUP' && p.resourceName === 'acme.user.')!;
    expect(patternCovers(group, 'GROUP', 'acme.user.profile.app')).toBe(true);
    expect(patternCovers(group, 'GROUP', 'acme.userprops.app')).toBe(false);
    expect(patternCovers(group, 'TOPIC', 'acme.user.app')).toBe(false);
    expect(patternCovers(topicPattern('acme.user.orders'), 'TOPIC', 'acme.user.orders')).toBe(true);
    expect(patternCovers(topicPattern('acme.user.orders'), 'TOPIC', 'acme.user.orders2')).toBe(false);
  });
});

describe('adopted names (an estate meshform did not create) beside acme.user', () => {
  const adopted = new NameIndex(
    ['acme.user', 'acme.orders'],
    new Map([
      ['acme.orders', { topics: [{ name: 'orders-placed-v1', visibility: 'protected' as const }, { name: 'acme.user.legacy', visibility: 'private' as const }], groups: ['orders-app', 'orders-batch-*'], transactionalIds: ['orders-tx'], principals: ['User:orders-svc'] }],
    ]),
  );

  test('an adopted topic is its adopter\'s, even when its name starts with another product\'s id', () => {
    expect(adopted.ownerOfTopic('orders-placed-v1')).toBe('acme.orders');
    expect(adopted.claimantOf('orders-placed-v1')).toBe('acme.orders');
    expect(adopted.adoptedTopic('orders-placed-v1')).toEqual({ owner: 'acme.orders', visibility: 'protected' });
    expect(adopted.claimantOf('acme.user.legacy')).toBe('acme.orders');
    expect(adopted.claimantOf('acme.user.other')).toBe('acme.user');
    expect(adopted.ownerOfTopic('orders-placed-v2')).toBeUndefined();
    expect(adopted.isPrivate('acme.user.legacy')).toBe(true);
    expect(adopted.isPrivate('orders-placed-v1')).toBe(false);
    expect(adopted.isPrivate('acme.user._private.x')).toBe(true);
  });

  test('groups and transactional ids: exact claims, prefix claims, then the convention; the two kinds apart', () => {
    expect(adopted.ownerOfClient('orders-app')).toBe('acme.orders');
    expect(adopted.ownerOfClient('orders-app2')).toBeUndefined();
    expect(adopted.ownerOfClient('orders-batch-eu')).toBe('acme.orders');
    expect(adopted.ownerOfClient('orders-batch')).toBeUndefined();
    expect(adopted.ownerOfClient('acme.user.app')).toBe('acme.user');
    expect(adopted.ownerOfClient('orders-tx')).toBeUndefined();
    expect(adopted.ownerOfClient('orders-tx', 'TRANSACTIONAL_ID')).toBe('acme.orders');
    expect(adopted.ownerOfPrincipal('User:orders-svc')).toBe('acme.orders');
  });

  test('the reconcile scope\'s question: a LITERAL pattern by its name, a PREFIXED one only inside a prefix claim', () => {
    expect(adopted.ownerOfResource('orders-placed-v1')).toBe('acme.orders');
    expect(adopted.ownerOfResource('orders-placed-v1', { resourceType: 'TOPIC', patternType: 'PREFIXED' })).toBeUndefined();
    expect(adopted.ownerOfResource('orders-app', { resourceType: 'GROUP', patternType: 'LITERAL' })).toBe('acme.orders');
    expect(adopted.ownerOfResource('orders-app', { resourceType: 'GROUP', patternType: 'PREFIXED' })).toBeUndefined();
    expect(adopted.ownerOfResource('orders-batch-', { resourceType: 'GROUP', patternType: 'PREFIXED' })).toBe('acme.orders');
    expect(adopted.ownerOfResource('orders-batch', { resourceType: 'GROUP', patternType: 'PREFIXED' })).toBeUndefined();
    expect(adopted.ownerOfResource('orders-app', { resourceType: 'TOPIC', patternType: 'LITERAL' })).toBeUndefined();
    expect(adopted.ownerOfResource('acme.user.', { resourceType: 'GROUP', patternType: 'PREFIXED' })).toBe('acme.user');
  });

  test('claims, their patterns and what cannot be claimed', () => {
    expect(claimCovers('orders-*', 'orders-x')).toBe(true);
    expect(claimCovers('orders-*', 'orders')).toBe(false);
    expect(claimCovers('orders', 'orders-x')).toBe(false);
    expect(claimPattern('GROUP', 'orders-*')).toEqual({ resourceType: 'GROUP', patternType: 'PREFIXED', resourceName: 'orders-' });
    expect(claimPattern('TRANSACTIONAL_ID', 'orders-tx')).toEqual({ resourceType: 'TRANSACTIONAL_ID', patternType: 'LITERAL', resourceName: 'orders-tx' });
    expect(claimProblem('*')).toMatch(/every name/);
    expect(claimProblem('a*b')).toMatch(/trailing/);
    expect(claimProblem('')).toMatch(/empty/);
    expect(claimProblem('a*')).toBeUndefined();
    expect(adoptedTopicProblem('_public.x')).toMatch(/relative/);
    expect(adoptedTopicProblem('orders placed')).toMatch(/characters Kafka does not allow/);
    expect(adoptedTopicProblem('orders.placed')).toBeUndefined();
  });

  test('conflicts: one name, two products; a claim inside a convention namespace', () => {
    const claims = new Map([
      ['acme.orders', { topics: [{ name: 'shared', visibility: 'private' as const }, { name: 'acme.user._public.x', visibility: 'public' as const }], groups: ['app-*'], principals: ['User:svc'] }],
      ['acme.user', { topics: [{ name: 'shared', visibility: 'public' as const }], groups: ['app-eu', 'acme.orders-x'], principals: ['User:svc'] }],
    ]);
    const found = claimConflicts(['acme.orders', 'acme.user'], claims).map((c) => `${c.owner} ${c.kind} ${c.claim} ~ ${c.other} ${c.otherClaim}${c.convention ? ' (convention)' : ''}`);
    expect(found).toEqual([
      'acme.orders topic acme.user._public.x ~ acme.user acme.user._* (convention)',
      'acme.user topic shared ~ acme.orders shared',
      'acme.user principal User:svc ~ acme.orders User:svc',
      'acme.user group app-eu ~ acme.orders app-*',
      'acme.user group acme.orders-x ~ acme.orders acme.orders-* (convention)',
    ]);
  });
});

// The edges the cases above do not reach (each found by `npm run mutate -- topic-names`: a rule
// that could change without any test noticing).
describe('edges of the rule', () => {
  test('an address: relative only as <_visibility>.<name>, with a name after the dot', () => {
    expect(qualifyAddress('_public.order_placed', 'acme.a')).toEqual({ topic: 'acme.a._public.order_placed', relative: true, visibility: 'public' });
    expect(qualifyAddress('_protected/login', 'acme.a')).toEqual({ topic: 'acme.a._protected.login', relative: true, visibility: 'protected' });
    // No dot: a full name, even when it starts with a visibility's letters.
    expect(qualifyAddress('_publicx', 'acme.a')).toEqual({ topic: '_publicx', relative: false });
    // Nothing after the dot: not a relative name.
    expect(qualifyAddress('_public.', 'acme.a')).toEqual({ topic: '_public.', relative: false });
    expect(qualifyAddress('other.b._public.x', 'acme.a')).toEqual({ topic: 'other.b._public.x', relative: false });
  });

  test("SpecMesh's channel names: the id itself and names under it are kept as they are", () => {
    expect(specmeshTopic('acme.a', 'acme.a', true)).toEqual({ topic: 'acme.a', relative: false });
    expect(specmeshTopic('acme.a._public.x', 'acme.a', true)).toEqual({ topic: 'acme.a._public.x', relative: false });
    expect(specmeshTopic('acme.a/_public/x', 'acme.a', true)).toEqual({ topic: 'acme.a._public.x', relative: false });
    // Not under the id at a segment boundary: relative (produced) or a full name (consumed).
    expect(specmeshTopic('acme.ab._public.x', 'acme.a', true)).toEqual({ topic: 'acme.a.acme.ab._public.x', relative: false });
    expect(specmeshTopic('_public.x', 'acme.a', true)).toEqual({ topic: 'acme.a._public.x', relative: true, visibility: 'public' });
    expect(specmeshTopic('other.b._public.x', 'acme.a', false)).toEqual({ topic: 'other.b._public.x', relative: false });
    expect(specmeshTopic('/legacy/topic', 'acme.a', true)).toEqual({ topic: 'legacy.topic', relative: false });
  });

  test('the id in a name stops before a visibility segment, and is never empty', () => {
    expect(idInName('._public.x')).toBeUndefined();
    expect(idInName('a._public.x')).toBe('a');
    expect(idInName('a.b._public')).toBeUndefined();
    expect(shortTopicName('x')).toBe('x');
    expect(shortTopicName('_public.x')).toBe('x');
    expect(shortTopicName('acme.user.x', 'acme.user')).toBe('x');
  });

  test("what Kafka refuses as a topic name, in Kafka's own limits", () => {
    expect(topicNameProblem('.')).toBe('"." is not a legal Kafka topic name');
    expect(topicNameProblem('..')).toBe('".." is not a legal Kafka topic name');
    expect(topicNameProblem('...')).toBeUndefined();
    expect(topicNameProblem('a'.repeat(249))).toBeUndefined();
    expect(topicNameProblem('a'.repeat(250))).toBe('topic name is 250 characters; Kafka allows at most 249');
    expect(topicNameProblem('')).toBe('topic name is empty');
    expect(topicNameProblem('acme.a._public.Order-placed_9')).toBeUndefined();
    expect(topicNameProblem('a b/c b')).toBe('topic "a b/c b" has characters Kafka does not allow: " " "/" (allowed: a-z A-Z 0-9 . _ -)');
    expect(collisionKey('acme.a._public.x_y')).toBe('acme_a__public_x_y');
  });

  test("a LITERAL '*' covers every name of its resource type", () => {
    const everyTopic = topicPattern('*');
    expect(patternCovers(everyTopic, 'TOPIC', 'acme.user._public.login')).toBe(true);
    expect(patternCovers(everyTopic, 'GROUP', 'acme.user.app')).toBe(false);
    expect(patternCovers(topicPattern('acme.user.x'), 'TOPIC', '*')).toBe(false);
  });

  test('a namespace: the id itself followed by ., - or ._', () => {
    expect(inNamespace('acme.user', 'acme.user.')).toBe(true);
    expect(inNamespace('acme.user', 'acme.user-')).toBe(true);
    expect(inNamespace('acme.user', 'acme.user._anything')).toBe(true);
    expect(inNamespace('acme.user', 'acme.user-x')).toBe(false);
    expect(inNamespace('acme.user', 'acme.user.x')).toBe(false);
    // The rest after the id's length is '._x', but the name does not start with the id.
    expect(inNamespace('acme.aa', 'acme.bb._x')).toBe(false);
    expect(namespaceCandidates('acme.user._public.x')).toEqual(['acme', 'acme.user', 'acme.user._public']);
    expect(namespaceCandidates('acme.user-')).toEqual(['acme.user', 'acme']);
    expect(namespaceCandidates('acme-')).toEqual(['acme']);
    expect(namespaceCandidates('.x')).toEqual([]);
    expect(namespaceCandidates('x')).toEqual([]);
  });

  test('ownership never claims a name equal to an id, or one that only starts with it', () => {
    const one = new NameIndex(['acme.user']);
    expect(one.products).toEqual(['acme.user']);
    expect(new NameIndex(['b.x', 'a.y']).products).toEqual(['b.x', 'a.y']);
    expect(one.claimantOf('acme.user')).toBeUndefined();
    expect(one.claimantOf('acme.user.x')).toBe('acme.user');
    expect(one.claimantOf('.x')).toBeUndefined();
    expect(one.ownerOfResource('acme.users')).toBeUndefined();
    expect(one.ownerOfResource('acme.user')).toBeUndefined();
    expect(one.ownerOfResource('.x')).toBeUndefined();
    expect(one.ownerOfClient('acme.user')).toBeUndefined();
  });
});
