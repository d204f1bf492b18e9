/**
 * What a run may touch (src/adapters/kafka/engine/scope.ts), case by case with names written by
 * hand: prefix-sharing ids, a nested product, groups and transactional ids, CLUSTER ACLs by
 * principal, grants on another product's topic.
 */
import { OwnershipScope } from '../../src/adapters/kafka';
import type { KafkaAclProps } from '../../src/plan/types';

const scope = OwnershipScope.ofProducts(['acme.user', 'acme.user.profile', 'acme.billing'], 'User:svc-{domain}');

const acl = (resourceType: KafkaAclProps['resourceType'], resourceName: string, principal = 'User:someone'): KafkaAclProps => ({
  principal,
  resourceType,
  resourceName,
  patternType: 'PREFIXED',
  operation: 'READ',
  permission: 'ALLOW',
  host: '*',
});

describe('OwnershipScope', () => {
  it('lists its products and their principals from the template, both ways', () => {
    expect([...scope.products].sort()).toEqual(['acme.billing', 'acme.user', 'acme.user.profile']);
    expect(scope.principalOf('acme.user')).toBe('User:svc-acme.user');
    expect(scope.principalOf('acme.other')).toBeUndefined();
    expect(scope.productOfPrincipal('User:svc-acme.billing')).toBe('acme.billing');
    expect(scope.productOfPrincipal('User:acme.billing')).toBeUndefined();
  });

  it.each([
    ['acme.user._public.signups', 'acme.user'],
    ['acme.user._private.x', 'acme.user'],
    ['acme.user.', 'acme.user'],
    ['acme.user-', 'acme.user'],
    // Only the prefixes themselves, and names under `p._`: a name merely starting with `p.` is not the product's.
    ['acme.user.sessions-app', undefined],
    ['acme.user-eu.app', undefined],
    ['acme.user.profile._public.x', 'acme.user.profile'],
    ['acme.user.profile.', 'acme.user.profile'],
    ['acme.userprops._public.x', undefined],
    ['acme.users', undefined],
    ['acme.billing._protected.invoices', 'acme.billing'],
    ['acme.other._public.x', undefined],
    ['__meshform_lease', undefined],
    ['acme', undefined],
  ])('the name %s belongs to %s', (name, owner) => {
    expect(scope.ownerOfName(name)).toBe(owner);
    expect(scope.ownsTopic(name)).toBe(owner !== undefined);
  });

  it('an ACL belongs to the owner of its resource; a CLUSTER ACL to the product whose principal it names', () => {
    expect(scope.ownerOfAcl(acl('TOPIC', 'acme.user._public.'))).toBe('acme.user');
    expect(scope.ownerOfAcl(acl('GROUP', 'acme.billing.'))).toBe('acme.billing');
    expect(scope.ownerOfAcl(acl('TRANSACTIONAL_ID', 'acme.user.profile-'))).toBe('acme.user.profile');
    // A grant: our principal on another product's topic is that product's, not ours.
    expect(scope.ownerOfAcl(acl('TOPIC', 'acme.other._public.x', 'User:svc-acme.user'))).toBeUndefined();
    expect(scope.ownerOfAcl(acl('CLUSTER', 'kafka-cluster', 'User:svc-acme.billing'))).toBe('acme.billing');
    expect(scope.ownerOfAcl(acl('CLUSTER', 'kafka-cluster', 'User:someone'))).toBeUndefined();
    // A CLUSTER ACL is judged by its principal only, whatever its resource name says.
    expect(scope.ownerOfAcl(acl('CLUSTER', 'acme.user.', 'User:someone'))).toBeUndefined();
  });

  it('without principals, a CLUSTER ACL belongs to no one', () => {
    const bare = new OwnershipScope(['acme.user']);
    expect(bare.principalOf('acme.user')).toBeUndefined();
    expect(bare.ownerOfAcl(acl('CLUSTER', 'kafka-cluster', 'User:acme.user'))).toBeUndefined();
    expect(bare.ownerOfAcl(acl('TOPIC', 'acme.user._public.x'))).toBe('acme.user');
  });
});
