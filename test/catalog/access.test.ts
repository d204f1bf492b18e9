/**
 * The access matrix: Kafka's authorizer rules (docs/access-model.md: prefix match, DENY beats
 * ALLOW, User:* for anyone) applied to the plan's ACLs. Expected cells are written by hand from
 * the specs' visibility and grant tags.
 */
import { topicAccess } from '../../src/catalog';
import { topicAcls } from '../../src/catalog/access';
import { planMesh } from '../../src/plan';
import type { KafkaAclProps } from '../../src/plan/types';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';
import { EXAMPLE_SPECS, load } from './support';

const cell = (acls: KafkaAclProps[], principal: string, name: string) => {
  const a = topicAccess(acls, principal, name);
  return `${a.read ? 'R' : ''}${a.write ? 'W' : ''}` || '-';
};

describe('access matrix of the example mesh', () => {
  let acls: KafkaAclProps[];
  let principals: string[];
  beforeAll(async () => {
    const loaded = await load(EXAMPLE_SPECS);
    acls = topicAcls(planMesh(loaded.mesh, stack()).resources);
    principals = loaded.mesh.products.map((p) => `User:${p.id}`);
  });

  it('protected order_payment: the owner reads and writes, billing (granted) reads, nobody else', () => {
    const row = Object.fromEntries([...principals, 'User:*'].map((p) => [p, cell(acls, p, 'acme.retail.orders._protected.order_payment')]));
    expect(row).toEqual({
      'User:acme.analytics.customer360': '-',
      'User:acme.analytics.sales_dashboard': '-',
      'User:acme.customer.profiles': '-',
      'User:acme.finance.billing': 'R',
      'User:acme.finance.ledger': '-',
      'User:acme.finance.payments': '-',
      'User:acme.marketing.campaigns': '-',
      'User:acme.retail.inventory': '-',
      'User:acme.retail.orders': 'RW',
      'User:acme.retail.returns': '-',
      'User:acme.retail.shipping': '-',
      'User:*': '-',
    });
  });

  it('public order_placed: everyone reads, only the owner writes', () => {
    for (const p of principals) expect(cell(acls, p, 'acme.retail.orders._public.order_placed')).toBe(p === 'User:acme.retail.orders' ? 'RW' : 'R');
    expect(cell(acls, 'User:*', 'acme.retail.orders._public.order_placed')).toBe('R');
  });

  it('private order_state: the owner only', () => {
    for (const p of principals) expect(cell(acls, p, 'acme.retail.orders._private.order_state')).toBe(p === 'User:acme.retail.orders' ? 'RW' : '-');
  });
});

describe("the authorizer's rules", () => {
  const acl = (over: Partial<KafkaAclProps>): KafkaAclProps => ({
    principal: 'User:a',
    resourceType: 'TOPIC',
    resourceName: 't',
    patternType: 'LITERAL',
    operation: 'READ',
    permission: 'ALLOW',
    host: '*',
    ...over,
  });

  it('PREFIXED covers names that start with it; LITERAL only the name, or every name when it is *', () => {
    expect(cell([acl({ resourceName: 'acme.', patternType: 'PREFIXED' })], 'User:a', 'acme.x')).toBe('R');
    expect(cell([acl({ resourceName: 'acme.x' })], 'User:a', 'acme.xy')).toBe('-');
    expect(cell([acl({ resourceName: '*' })], 'User:a', 'anything')).toBe('R');
  });

  it('DENY beats ALLOW, ALL matches every operation, User:* matches every principal', () => {
    expect(cell([acl({ operation: 'ALL' })], 'User:a', 't')).toBe('RW');
    expect(cell([acl({ operation: 'ALL' }), acl({ operation: 'WRITE', permission: 'DENY' })], 'User:a', 't')).toBe('R');
    expect(cell([acl({ principal: 'User:*' })], 'User:b', 't')).toBe('R');
    expect(cell([acl({ principal: 'User:*', permission: 'DENY' }), acl({})], 'User:a', 't')).toBe('-');
  });

  it('a parent product reaches none of a nested product’s topics', () => {
    const nested = mesh(
      product('acme.user', { topics: [topic('acme.user', 'private', 'state')] }),
      product('acme.user.profile', { topics: [topic('acme.user.profile', 'private', 'state'), topic('acme.user.profile', 'protected', 'changes', { grants: ['acme.user'] })] }),
    );
    const acls = topicAcls(planMesh(nested, stack()).resources);
    expect(cell(acls, 'User:acme.user', 'acme.user.profile._private.state')).toBe('-');
    expect(cell(acls, 'User:acme.user', 'acme.user.profile._protected.changes')).toBe('R');
    expect(cell(acls, 'User:acme.user.profile', 'acme.user._private.state')).toBe('-');
  });
});
