/**
 * The plan of a mesh that adopts an existing estate (test/fixtures/specs/valid/mesh-adopted-estate):
 * the ACLs on adopted topics, groups and transactional ids, per principal, written out by hand
 * from the specs; the reconcile scope built from the plan claims exactly those names.
 */
import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import type { KafkaAclProps, Plan } from '../../src/plan/types';
import { OwnershipScope } from '../../src/adapters/kafka/engine/scope';
import { isAllowed } from './authorizer';
import { stack } from '../support/stack';
import { savedPlan, savedScope, type PlanMade } from '../../src/cli/kafka-saved-plan';

const cwd = path.resolve(__dirname, '../..');
const FIXTURE = 'test/fixtures/specs/valid/mesh-adopted-estate';

let plan: Plan;
let acls: KafkaAclProps[];

beforeAll(async () => {
  const { mesh, diagnostics } = await loadMesh([FIXTURE], { cwd });
  expect(diagnostics).toEqual([]);
  if (!mesh) throw new Error('mesh did not load');
  plan = planMesh(mesh, stack());
  acls = plan.resources.flatMap((r) => (r.kind === 'kafka:Acl' ? [r.properties] : []));
});

const text = (a: KafkaAclProps) => `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.patternType}:${a.resourceName}`;
/** ACLs of a product other than its convention prefixes (`<id>.`, `<id>-`, `<id>._...`). */
function nonConvention(product: string): string[] {
  return plan.resources
    .flatMap((r) => (r.kind === 'kafka:Acl' && r.product === product ? [r.properties] : []))
    .filter((a) => !(a.patternType === 'PREFIXED' && a.resourceName.startsWith(product)))
    .map(text)
    .sort();
}

describe('a mesh that adopts names of an existing estate', () => {
  it('grants on each adopted topic what the spec does there, per principal, LITERAL; groups and transactional ids as claimed', () => {
    expect(nonConvention('acme.orders')).toEqual(
      [
        // orders-svc: no limits; sends to both adopted topics, receives the audit topic; every adopted group and the transactional id.
        'ALLOW User:orders-svc WRITE TOPIC:LITERAL:orders-placed-v1',
        'ALLOW User:orders-svc DESCRIBE TOPIC:LITERAL:orders-placed-v1',
        'ALLOW User:orders-svc WRITE TOPIC:LITERAL:orders-audit',
        'ALLOW User:orders-svc READ TOPIC:LITERAL:orders-audit',
        'ALLOW User:orders-svc DESCRIBE TOPIC:LITERAL:orders-audit',
        'ALLOW User:orders-svc READ GROUP:LITERAL:orders-app',
        'ALLOW User:orders-svc READ GROUP:LITERAL:orders-audit',
        'ALLOW User:orders-svc READ GROUP:PREFIXED:orders-batch-',
        'ALLOW User:orders-svc WRITE TRANSACTIONAL_ID:LITERAL:orders-tx',
        'ALLOW User:orders-svc DESCRIBE TRANSACTIONAL_ID:LITERAL:orders-tx',
        // orders-auditor: limited to the audit topic and its group.
        'ALLOW User:orders-auditor WRITE TOPIC:LITERAL:orders-audit',
        'ALLOW User:orders-auditor READ TOPIC:LITERAL:orders-audit',
        'ALLOW User:orders-auditor DESCRIBE TOPIC:LITERAL:orders-audit',
        'ALLOW User:orders-auditor READ GROUP:LITERAL:orders-audit',
        // Readers: the public convention topic to all, the protected adopted one to shipping's principal (billing has no grant).
        'ALLOW User:* READ TOPIC:LITERAL:acme.orders._public.confirmed',
        'ALLOW User:* DESCRIBE TOPIC:LITERAL:acme.orders._public.confirmed',
        'ALLOW User:shipping-svc READ TOPIC:LITERAL:orders-placed-v1',
        'ALLOW User:shipping-svc DESCRIBE TOPIC:LITERAL:orders-placed-v1',
      ].sort(),
    );
    expect(nonConvention('acme.shipping')).toEqual(
      [
        'ALLOW User:shipping-svc READ GROUP:LITERAL:shipping-app',
        // billing keeps the stack template's principal.
        'ALLOW User:acme.billing READ TOPIC:LITERAL:acme.shipping._protected.shipped',
        'ALLOW User:acme.billing DESCRIBE TOPIC:LITERAL:acme.shipping._protected.shipped',
      ].sort(),
    );
  });

  it('gives the convention prefixes to principals without limits only, and nothing to the template principal of a product that adopted principals', () => {
    const prefixed = (principal: string) => acls.filter((a) => a.principal === principal && a.patternType === 'PREFIXED').map((a) => a.resourceName);
    expect(new Set(prefixed('User:orders-svc'))).toEqual(
      new Set(['acme.orders._public.', 'acme.orders._protected.', 'acme.orders._private.', 'acme.orders.', 'acme.orders-', 'orders-batch-']),
    );
    expect(prefixed('User:orders-auditor')).toEqual([]);
    expect(acls.filter((a) => a.principal === 'User:acme.orders' || a.principal === 'User:acme.shipping')).toEqual([]);
  });

  it('under Kafka\'s authorizer: each principal writes, reads and joins exactly what its product\'s spec says', () => {
    const may = (p: string, type: KafkaAclProps['resourceType'], name: string, op: KafkaAclProps['operation']) => isAllowed(acls, p, type, name, op);
    // Written by hand: [principal, topic, write, read].
    const topics: Array<[string, string, boolean, boolean]> = [
      ['User:orders-svc', 'orders-placed-v1', true, false],
      ['User:orders-svc', 'orders-audit', true, true],
      ['User:orders-auditor', 'orders-placed-v1', false, false],
      ['User:orders-auditor', 'orders-audit', true, true],
      ['User:shipping-svc', 'orders-placed-v1', false, true],
      ['User:shipping-svc', 'orders-audit', false, false],
      ['User:acme.billing', 'orders-placed-v1', false, false],
      ['User:acme.billing', 'acme.shipping._protected.shipped', false, true],
      ['User:shipping-svc', 'acme.shipping._protected.shipped', true, true],
      ['User:orders-svc', 'acme.shipping._protected.shipped', false, false],
    ];
    for (const [p, topic, write, read] of topics) {
      expect([p, topic, may(p, 'TOPIC', topic, 'WRITE'), may(p, 'TOPIC', topic, 'READ')]).toEqual([p, topic, write, read]);
    }
    const groups: Array<[string, string, boolean]> = [
      ['User:orders-svc', 'orders-app', true],
      ['User:orders-svc', 'orders-batch-eu', true],
      ['User:orders-auditor', 'orders-app', false],
      ['User:orders-auditor', 'orders-audit', true],
      ['User:shipping-svc', 'shipping-app', true],
      ['User:shipping-svc', 'orders-app', false],
      ['User:orders-svc', 'shipping-app', false],
      ['User:acme.billing', 'orders-batch-1', false],
    ];
    for (const [p, group, read] of groups) expect([p, group, may(p, 'GROUP', group, 'READ')]).toEqual([p, group, read]);
    expect(may('User:orders-svc', 'TRANSACTIONAL_ID', 'orders-tx', 'WRITE')).toBe(true);
    expect(may('User:orders-auditor', 'TRANSACTIONAL_ID', 'orders-tx', 'WRITE')).toBe(false);
  });

  it('the plan says what each product adopted, and the reconcile scope built from it owns those names and no others', () => {
    expect(plan.products.find((p) => p.id === 'acme.orders')?.adopted).toEqual({
      topics: [
        { name: 'orders-placed-v1', visibility: 'protected' },
        { name: 'orders-audit', visibility: 'private' },
      ],
      principals: ['User:orders-svc', 'User:orders-auditor'],
      groups: ['orders-app', 'orders-batch-*', 'orders-audit'],
      transactionalIds: ['orders-tx'],
    });
    expect(plan.products.find((p) => p.id === 'acme.billing')?.adopted).toBeUndefined();
    const scope = OwnershipScope.ofPlan(plan.products, 'User:{domain}');
    const owner = (resourceName: string, resourceType: KafkaAclProps['resourceType'] = 'TOPIC', patternType: KafkaAclProps['patternType'] = 'LITERAL') =>
      scope.ownerOfAcl({ principal: 'User:x', resourceType, patternType, resourceName, operation: resourceType === 'TRANSACTIONAL_ID' ? 'WRITE' : 'READ', permission: 'ALLOW', host: '*' });
    expect(owner('orders-placed-v1')).toBe('acme.orders');
    expect(owner('orders-audit')).toBe('acme.orders');
    expect(owner('orders-placed-v1', 'TOPIC', 'PREFIXED')).toBeUndefined(); // would reach orders-placed-v10, not adopted
    expect(owner('orders-placed-v2')).toBeUndefined();
    expect(owner('orders-app', 'GROUP')).toBe('acme.orders');
    expect(owner('orders-app', 'TOPIC')).toBeUndefined();
    expect(owner('orders-batch-7', 'GROUP')).toBe('acme.orders');
    expect(owner('orders-batch-', 'GROUP', 'PREFIXED')).toBe('acme.orders');
    expect(owner('orders-batch-eu-', 'GROUP', 'PREFIXED')).toBe('acme.orders');
    expect(owner('orders-batch', 'GROUP', 'PREFIXED')).toBeUndefined(); // reaches orders-batchx, which is nobody's
    expect(owner('orders-tx', 'TRANSACTIONAL_ID')).toBe('acme.orders');
    expect(owner('orders-tx', 'GROUP')).toBeUndefined();
    expect(owner('shipping-app', 'GROUP')).toBe('acme.shipping');
    expect(scope.isPrivate('orders-audit')).toBe(true);
    expect(scope.isPrivate('orders-placed-v1')).toBe(false);
    // CLUSTER ACLs: the template principal of a product without adopted principals only.
    const cluster = (principal: string) => scope.ownerOfAcl({ principal, resourceType: 'CLUSTER', patternType: 'LITERAL', resourceName: 'kafka-cluster', operation: 'IDEMPOTENT_WRITE', permission: 'ALLOW', host: '*' });
    expect(cluster('User:acme.billing')).toBe('acme.billing');
    expect(cluster('User:orders-svc')).toBeUndefined();
    expect(cluster('User:acme.orders')).toBeUndefined();
    // On adopted names the scope manages the forms the plan gives there; an estate's DENY, host-bound or ALL ACLs stay its own.
    const estate = (over: Partial<KafkaAclProps>) => scope.ownerOfAcl({ principal: 'User:x', resourceType: 'TOPIC', patternType: 'LITERAL', resourceName: 'orders-placed-v1', operation: 'READ', permission: 'ALLOW', host: '*', ...over });
    expect(estate({})).toBe('acme.orders');
    expect(estate({ operation: 'DESCRIBE' })).toBe('acme.orders');
    expect(estate({ permission: 'DENY' })).toBeUndefined();
    expect(estate({ host: '10.0.0.1' })).toBeUndefined();
    expect(estate({ operation: 'ALL' })).toBeUndefined();
    expect(estate({ operation: 'ALTER_CONFIGS' })).toBeUndefined();
    expect(estate({ resourceType: 'GROUP', resourceName: 'orders-app', operation: 'DELETE' })).toBeUndefined();
    expect(estate({ resourceType: 'GROUP', resourceName: 'orders-app', operation: 'DESCRIBE' })).toBe('acme.orders');
    // ...while on convention names every binding is the owner's, as before.
    expect(estate({ resourceName: 'acme.orders._public.confirmed', operation: 'ALL' })).toBe('acme.orders');
    // Every planned ACL lies in its own product's scope.
    for (const r of plan.resources) if (r.kind === 'kafka:Acl') expect([text(r.properties), scope.ownerOfAcl(r.properties)]).toEqual([text(r.properties), r.product]);
  });

  it("client quotas are set on the principals a product adopted (its clients), not on its unused template principal; an adopted principal's quota is not the scope's to remove", async () => {
    const { mesh } = await loadMesh([FIXTURE], { cwd });
    const quoted = planMesh(mesh!, stack({ kafka: { quotas: { defaults: { producer_byte_rate: 1048576 }, factor: 1 } } }));
    const users = quoted.resources.flatMap((r) => (r.kind === 'kafka:Quota' ? [`${r.product} ${r.properties.entity.user} ${r.properties.quotas.producer_byte_rate}`] : [])).sort();
    // By hand from the fixture: orders adopts orders-svc and orders-auditor, shipping shipping-svc, billing none (its template principal).
    expect(users).toEqual(['acme.billing acme.billing 1048576', 'acme.orders orders-auditor 1048576', 'acme.orders orders-svc 1048576', 'acme.shipping shipping-svc 1048576']);
    const scope = OwnershipScope.ofPlan(quoted.products, 'User:{domain}');
    // The estate's quota on an adopted principal stays unless planned (a planned one is declared and set).
    expect(scope.productOfQuotaUser('orders-svc')).toBeUndefined();
    expect(scope.productOfQuotaUser('orders-auditor')).toBeUndefined();
    expect(scope.productOfQuotaUser('acme.orders')).toBeUndefined();
    expect(scope.productOfQuotaUser('acme.billing')).toBe('acme.billing');
    expect(scope.productOfQuotaUser('estate-other')).toBeUndefined();
  });

  it('a saved plan (kafka plan --out) keeps the adopted names: the scope read back owns what the plan\'s scope owned', () => {
    const scope = OwnershipScope.ofPlan(plan.products, 'User:{domain}');
    const made = {
      report: { summary: { create: 0, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 }, resources: [] },
      state: { topics: new Map(), acls: [], aclKeys: new Set<string>() },
      changes: [],
      clusterId: null,
      stack: 'test',
      connection: { brokers: ['localhost:9092'] },
      selection: [],
      permissions: { allowDelete: false, allowDeletePrivate: false },
      allOrNothing: false,
      request: { resources: [], scope, mode: 'plan', permissions: { allowDelete: false, allowDeletePrivate: false } },
    } as unknown as PlanMade;
    const saved = JSON.parse(JSON.stringify(savedPlan(made)));
    // orders adopted principals: it has no template principal, but it is in the scope by its claims.
    expect(saved.principals).toEqual({ 'acme.billing': 'User:acme.billing' });
    expect(Object.keys(saved.adopted).sort()).toEqual(['acme.orders', 'acme.shipping']);
    const back = savedScope(saved);
    expect([...back.products].sort()).toEqual([...scope.products].sort());
    const acl = (resourceName: string, resourceType: KafkaAclProps['resourceType'] = 'TOPIC', principal = 'User:x') =>
      ({ principal, resourceType, patternType: 'LITERAL' as const, resourceName, operation: 'READ' as const, permission: 'ALLOW' as const, host: '*' });
    for (const a of [acl('orders-placed-v1'), acl('orders-audit'), acl('orders-app', 'GROUP'), acl('orders-placed-v2'), acl('acme.billing', 'CLUSTER', 'User:acme.billing'), acl('acme.orders', 'CLUSTER', 'User:acme.orders')]) {
      expect([a.resourceName, back.ownerOfAcl(a)]).toEqual([a.resourceName, scope.ownerOfAcl(a)]);
    }
    expect(back.ownerOfAcl(acl('orders-placed-v1'))).toBe('acme.orders');
    expect(back.isPrivate('orders-audit')).toBe(true);
  });
});
