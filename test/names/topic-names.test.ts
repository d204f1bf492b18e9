/** The topic-name rule on the cases people ask about, every expected value written by hand. */
import {
  NameIndex,
  clientPrefixes,
  deniedToAncestors,
  idInName,
  ownerPatterns,
  patternCovers,
  qualify,
  shortTopicName,
  streamsPatterns,
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
