import { KIND_ORDER, compareResources, consumersByTopic, planMesh } from '../../src/plan';
import type { Mesh } from '../../src/vocabulary/mesh';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';
import { exampleMesh } from './example-mesh';

/** The same mesh with products, topics, grants, owners and config keys in reverse order. */
function reversed(m: Mesh): Mesh {
  return {
    products: [...m.products].reverse().map((p) => ({
      ...p,
      owners: [...p.owners].reverse(),
      consumes: [...p.consumes].reverse(),
      storage: { bigquery: { ...p.storage.bigquery, layers: [...p.storage.bigquery.layers].reverse() } },
      topics: [...p.topics].reverse().map((t) => ({
        ...t,
        grants: [...t.grants].reverse(),
        config: Object.fromEntries(Object.entries(t.config).reverse()),
      })),
    })),
  };
}

describe('planMesh', () => {
  const s = stack({ gcp: { publicReaders: 'domain:acme.com' } });

  test('resources are ordered by product, then kind, then name', () => {
    const plan = planMesh(exampleMesh(), s);
    const sorted = [...plan.resources].sort(compareResources);
    expect(plan.resources.map((r) => r.name)).toEqual(sorted.map((r) => r.name));
    for (let i = 1; i < plan.resources.length; i++) {
      const [a, b] = [plan.resources[i - 1], plan.resources[i]];
      if (a.product !== b.product) expect(a.product < b.product).toBe(true);
      else if (a.kind !== b.kind) expect(KIND_ORDER.indexOf(a.kind)).toBeLessThan(KIND_ORDER.indexOf(b.kind));
      else expect(a.name < b.name).toBe(true);
    }
  });

  test('deterministic: input order does not change the plan, byte for byte', () => {
    const once = JSON.stringify(planMesh(exampleMesh(), s));
    expect(JSON.stringify(planMesh(exampleMesh(), s))).toBe(once);
    expect(JSON.stringify(planMesh(reversed(exampleMesh()), s))).toBe(once);
  });

  test('pure: the mesh and stack are not modified', () => {
    const m = exampleMesh();
    const before = JSON.stringify([m, s]);
    planMesh(m, s);
    expect(JSON.stringify([m, s])).toBe(before);
  });

  test('resource names are unique and stable across runs and unrelated products', () => {
    const plan = planMesh(exampleMesh(), s);
    expect(new Set(plan.resources.map((r) => r.name)).size).toBe(plan.resources.length);
    // Adding a product does not rename another product's resources.
    const bigger = planMesh(mesh(...exampleMesh().products, product('acme.zeta', { topics: [topic('acme.zeta', 'public', 'z')] })), s);
    const names = new Set(bigger.resources.map((r) => r.name));
    for (const r of plan.resources) expect(names.has(r.name)).toBe(true);
    expect(plan.resources.find((r) => r.kind === 'kafka:Topic')?.name).toBe(
      'acme.finance.billing/topic/acme.finance.billing._public.invoice_issued',
    );
  });

  test('products are summarised with topics and consumed topics', () => {
    const plan = planMesh(exampleMesh(), s);
    expect(plan.stack).toBe('test');
    expect(plan.products.map((p) => p.id)).toEqual(['acme.finance.billing', 'acme.retail.orders', 'acme.user', 'acme.userprops']);
    expect(plan.products[0]).toEqual({
      id: 'acme.finance.billing',
      urn: 'urn:acme:finance:billing',
      businessDomain: 'acme.finance',
      file: 'specs/acme.finance.billing.yaml',
      owners: ['user:owner@acme.finance.billing.example'],
      topics: ['acme.finance.billing._public.invoice_issued'],
      consumes: ['acme.retail.orders._protected.payment_details', 'acme.retail.orders._public.order_placed'],
      // Billing sends to no other product's (input) topic.
      produces: [],
    });
  });

  test('every resource belongs to a product of the mesh', () => {
    const plan = planMesh(exampleMesh(), s);
    const ids = new Set(plan.products.map((p) => p.id));
    for (const r of plan.resources) expect(ids.has(r.product)).toBe(true);
  });

  test('consumersByTopic: who receives from each topic, sorted, once each', () => {
    const consumers = consumersByTopic({
      products: [
        { id: 'acme.b', consumes: ['acme.x._public.t', 'acme.y._public.u'] },
        { id: 'acme.a', consumes: ['acme.x._public.t'] },
        { id: 'acme.c', consumes: [] },
      ],
    } as unknown as Parameters<typeof consumersByTopic>[0]);
    expect([...consumers]).toEqual([
      ['acme.x._public.t', ['acme.a', 'acme.b']],
      ['acme.y._public.u', ['acme.b']],
    ]);
  });

  test('an empty mesh gives an empty plan', () => {
    expect(planMesh({ products: [] }, s)).toEqual({ stack: 'test', products: [], resources: [] });
  });
});

describe('a stack that selects products (meshform:domains, meshform:products)', () => {
  const all = planMesh(exampleMesh(), stack());
  const ids = all.products.map((p) => p.id);
  const resourcesOf = (selected: string[]) => all.resources.filter((r) => selected.includes(r.product));

  test('by domain: exactly the whole plan\'s resources of the products in those domains', () => {
    const domain = all.products[0].businessDomain;
    const selected = ids.filter((id) => id.startsWith(`${domain}.`) && !id.slice(domain.length + 1).includes('.'));
    expect(selected.length).toBeGreaterThan(0);
    const plan = planMesh(exampleMesh(), stack({ selection: { domains: [domain], products: [] } }));
    expect(plan.products.map((p) => p.id)).toEqual(selected);
    expect(plan.resources).toEqual(resourcesOf(selected));
  });

  test('by id or prefix: the same rule as --product; stacks together hold the whole plan', () => {
    const [first, ...rest] = ids;
    const one = planMesh(exampleMesh(), stack({ selection: { domains: [], products: [first] } }));
    const others = planMesh(exampleMesh(), stack({ selection: { domains: [], products: rest } }));
    expect(one.products.map((p) => p.id)).toEqual([first]);
    expect([...one.resources, ...others.resources].sort(compareResources)).toEqual(all.resources);
  });
});
