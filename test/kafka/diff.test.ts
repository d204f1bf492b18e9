import { diff, type Change, type TopicChange } from '../../src/adapters/kafka/engine/diff';
import { OwnershipScope } from '../../src/adapters/kafka/engine/scope';
import { acl, actualTopic, ownerAcl, state, topic } from './fixtures';

const orders = 'acme.retail.orders';
const scope = new OwnershipScope([orders], new Map([[orders, `User:${orders}`]]));
const noDelete = { allowDelete: false, allowDeletePrivate: false };
const t = (name: string) => `${orders}.${name}`;

function only(changes: Change[], name: string): TopicChange {
  const found = changes.filter((c): c is TopicChange => c.kind === 'kafka:Topic' && c.topic === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('diff topics', () => {
  it('creates a topic that does not exist', () => {
    const changes = diff([topic(orders, t('_public.placed'))], state(), scope, noDelete);
    expect(only(changes, t('_public.placed')).action).toBe('CREATE');
  });

  it('leaves an identical topic unchanged, ignoring spacing in list values', () => {
    const desired = topic(orders, t('_public.placed'), 3, 1, { 'cleanup.policy': 'compact,delete' });
    const actual = actualTopic(t('_public.placed'), 3, 1, { 'cleanup.policy': 'compact, delete' });
    expect(only(diff([desired], state([actual]), scope, noDelete), t('_public.placed')).action).toBe('UNCHANGED');
  });

  it('sets changed and new config keys and unsets keys the spec dropped', () => {
    const desired = topic(orders, t('_public.placed'), 3, 1, { 'retention.ms': '2000', 'max.message.bytes': '1000' });
    const actual = actualTopic(t('_public.placed'), 3, 1, { 'retention.ms': '1000', 'cleanup.policy': 'compact' });
    const change = only(diff([desired], state([actual]), scope, noDelete), t('_public.placed'));
    expect(change.action).toBe('UPDATE');
    expect(change.configSet).toEqual({ 'retention.ms': '2000', 'max.message.bytes': '1000' });
    expect(change.configUnset).toEqual(['cleanup.policy']);
    expect(change.partitionsTo).toBeUndefined();
  });

  it('never compares a sensitive key whose value the broker hides', () => {
    const desired = topic(orders, t('_public.placed'), 3, 1, { secretish: 'x' });
    const actual = { ...actualTopic(t('_public.placed'), 3, 1), hiddenKeys: ['secretish'] };
    expect(only(diff([desired], state([actual]), scope, noDelete), t('_public.placed')).action).toBe('UNCHANGED');
  });

  it('grows partitions', () => {
    const change = only(diff([topic(orders, t('_public.placed'), 6)], state([actualTopic(t('_public.placed'), 3)]), scope, noDelete), t('_public.placed'));
    expect(change.action).toBe('UPDATE');
    expect(change.partitionsTo).toBe(6);
  });

  it('refuses a partition decrease with a remedy', () => {
    const change = only(diff([topic(orders, t('_public.placed'), 2)], state([actualTopic(t('_public.placed'), 6)]), scope, noDelete), t('_public.placed'));
    expect(change.action).toBe('REFUSED');
    expect(change.reason).toMatch(/partitions 6 -> 2/);
    expect(change.reason).toMatch(/so the plan keeps 6 or more/);
  });

  it('refuses a replication-factor change with a remedy', () => {
    const change = only(diff([topic(orders, t('_public.placed'), 3, 3)], state([actualTopic(t('_public.placed'), 3, 1)]), scope, noDelete), t('_public.placed'));
    expect(change.action).toBe('REFUSED');
    expect(change.reason).toMatch(/replicas 1 -> 3.*reassign/);
  });

  it('refuses to delete an undeclared topic without permission', () => {
    const change = only(diff([], state([actualTopic(t('_public.old'))]), scope, noDelete), t('_public.old'));
    expect(change.action).toBe('REFUSED');
    expect(change.reason).toMatch(/--allow-delete/);
  });

  it('deletes with permission but spares _private topics without the second permission', () => {
    const actual = state([actualTopic(t('_public.old')), actualTopic(t('_private.scratch'))]);
    const changes = diff([], actual, scope, { allowDelete: true, allowDeletePrivate: false });
    expect(only(changes, t('_public.old')).action).toBe('DELETE');
    expect(only(changes, t('_private.scratch')).action).toBe('REFUSED');
    expect(only(changes, t('_private.scratch')).reason).toMatch(/--allow-delete-private/);
    const both = diff([], actual, scope, { allowDelete: true, allowDeletePrivate: true });
    expect(only(both, t('_private.scratch')).action).toBe('DELETE');
  });

  it('ignores topics of products outside the specs, including ones sharing a name prefix', () => {
    const others = state([
      actualTopic('acme.retail.ordersarchive._public.x'),
      actualTopic('acme.retail.orders.eu._public.y'),
      actualTopic('acme.billing._public.z'),
    ]);
    expect(diff([], others, scope, { allowDelete: true, allowDeletePrivate: true })).toEqual([]);
  });
});

describe('diff ACLs', () => {
  const read = acl(orders, { principal: 'User:acme.retail.shipping', resourceName: t('_protected.placed') });

  it('creates missing bindings and keeps present ones', () => {
    const changes = diff([read, ownerAcl(orders)], state([], [ownerAcl(orders).properties]), scope, noDelete);
    expect(changes.map((c) => [c.kind, c.action])).toEqual([
      ['kafka:Acl', 'CREATE'],
      ['kafka:Acl', 'UNCHANGED'],
    ]);
  });

  it('deletes an undeclared binding on its own topic only with permission', () => {
    const stale = acl(orders, { principal: 'User:acme.old', resourceName: t('_protected.placed') }).properties;
    expect(diff([], state([], [stale]), scope, noDelete)[0].action).toBe('REFUSED');
    expect(diff([], state([], [stale]), scope, { allowDelete: true, allowDeletePrivate: false })[0].action).toBe('DELETE');
  });

  it("leaves another product's grant to our principal alone", () => {
    const theirGrant = acl('acme.billing', { principal: `User:${orders}`, resourceName: 'acme.billing._protected.invoices' }).properties;
    expect(diff([], state([], [theirGrant]), scope, { allowDelete: true, allowDeletePrivate: true })).toEqual([]);
  });

  it('treats a duplicate declaration as one binding', () => {
    expect(diff([read, { ...read, name: 'again' }], state(), scope, noDelete)).toHaveLength(1);
  });
});

describe('ownership scope', () => {
  it('matches a product prefix only at the visibility boundary', () => {
    const s = new OwnershipScope(['acme.user', 'acme.user.profile']);
    expect(s.ownerOfName('acme.user._public.a')).toBe('acme.user');
    expect(s.ownerOfName('acme.user.')).toBe('acme.user');
    expect(s.ownerOfName('acme.userprops._public.a')).toBeUndefined();
    expect(s.ownerOfName('acme.user.profile._private.b')).toBe('acme.user.profile');
    expect(s.ownerOfName('acme.user.profile')).toBeUndefined();
  });

  it('owns the second group prefix `p-` exactly, not a longer name that starts with it', () => {
    const s = new OwnershipScope(['acme.user', 'acme.user-eu']);
    expect(s.ownerOfName('acme.user-')).toBe('acme.user');
    expect(s.ownerOfName('acme.user-eu-')).toBe('acme.user-eu');
    expect(s.ownerOfName('acme.user-eu.')).toBe('acme.user-eu');
    expect(s.ownerOfName('acme.user-eu')).toBeUndefined();
    expect(s.ownerOfName('acme.userx-')).toBeUndefined();
  });

  it('owns CLUSTER bindings through the principal only', () => {
    const s = new OwnershipScope(['acme.user'], new Map([['acme.user', 'User:acme.user']]));
    const clusterAcl = acl('acme.user', { principal: 'User:acme.user', resourceType: 'CLUSTER', resourceName: 'kafka-cluster', operation: 'IDEMPOTENT_WRITE' });
    expect(s.ownerOfAcl(clusterAcl.properties)).toBe('acme.user');
    expect(s.ownerOfAcl({ ...clusterAcl.properties, principal: 'User:someone' })).toBeUndefined();
  });

  it('ofProducts takes each principal from the template, as the plan does', () => {
    const s = OwnershipScope.ofProducts(['acme.user', 'acme.billing'], 'User:CN={domain},OU=kafka');
    expect(s.products).toEqual(['acme.user', 'acme.billing']);
    expect(s.productOfPrincipal('User:CN=acme.billing,OU=kafka')).toBe('acme.billing');
    expect(s.productOfPrincipal('User:acme.billing')).toBeUndefined();
  });
});

describe('the apply guard: a topic another spec still consumes', () => {
  const consumers = new Map([[t('_public.placed'), ['acme.finance.billing', 'acme.analytics.customer360']], [t('_private.state'), [orders]]]);
  const deletes = { allowDelete: true, allowDeletePrivate: true };

  it('is not deleted, even with allowDelete; the refusal names the consumers', () => {
    const change = only(diff([], state([actualTopic(t('_public.placed'))]), scope, deletes, consumers), t('_public.placed'));
    expect(change.action).toBe('REFUSED');
    expect(change.reason).toBe(
      'consumed by acme.finance.billing, acme.analytics.customer360 (their specs still receive from it): deleting it breaks them, so it also needs --allow-breaking (or the stack\'s allowBreaking)',
    );
  });

  it('names both permissions when neither is given', () => {
    const change = only(diff([], state([actualTopic(t('_public.placed'))]), scope, noDelete, consumers), t('_public.placed'));
    expect(change.reason).toMatch(/^not declared in the specs; deleting it needs --allow-delete .*; consumed by acme\.finance\.billing, /);
  });

  it('is deleted with allowBreaking as well', () => {
    const change = only(diff([], state([actualTopic(t('_public.placed'))]), scope, { ...deletes, allowBreaking: true }, consumers), t('_public.placed'));
    expect(change.action).toBe('DELETE');
  });

  it("does not count the owner's own consumption, nor topics nobody consumes", () => {
    const changes = diff([], state([actualTopic(t('_private.state')), actualTopic(t('_public.other'))]), scope, deletes, consumers);
    expect(only(changes, t('_private.state')).action).toBe('DELETE');
    expect(only(changes, t('_public.other')).action).toBe('DELETE');
  });
});
