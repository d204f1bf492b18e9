/**
 * What the catalog shows, checked against values read off the spec files by hand (grants in
 * specs/*.yaml, the edge-case fixture's README), not against the model code.
 */
import { loadStack } from '../../src/stack/load';
import { EDGE_MESH, EXAMPLE_SPECS, ROOT, viewOf } from './support';

const devStack = () => {
  const { stack } = loadStack('dev', { root: ROOT });
  if (!stack) throw new Error('stack dev does not load');
  return stack;
};

describe('catalog view of the example mesh', () => {
  it('groups 11 products into 5 business domains', async () => {
    const view = await viewOf(EXAMPLE_SPECS);
    expect(view.domains.map((d) => [d.id, d.products.map((p) => p.id)])).toEqual([
      ['acme.analytics', ['acme.analytics.customer360', 'acme.analytics.sales_dashboard']],
      ['acme.customer', ['acme.customer.profiles']],
      ['acme.finance', ['acme.finance.billing', 'acme.finance.ledger', 'acme.finance.payments']],
      ['acme.marketing', ['acme.marketing.campaigns']],
      ['acme.retail', ['acme.retail.inventory', 'acme.retail.orders', 'acme.retail.returns', 'acme.retail.shipping']],
    ]);
  });

  it('has every protected consumption granted, as the specs tag them', async () => {
    const view = await viewOf(EXAMPLE_SPECS);
    const protectedReads = view.consumptions
      .filter((c) => c.topic.includes('._protected.'))
      .map((c) => `${c.consumer} <- ${c.topic}: ${c.access}`)
      .sort();
    expect(protectedReads).toEqual([
      'acme.analytics.customer360 <- acme.finance.billing._protected.invoice_issued: granted',
      'acme.analytics.sales_dashboard <- acme.finance.payments._protected.payment_captured: granted',
      'acme.finance.billing <- acme.retail.orders._protected.order_payment: granted',
      'acme.finance.ledger <- acme.finance.payments._protected.payment_captured: granted',
      'acme.finance.ledger <- acme.finance.payments._protected.refund_paid: granted',
      'acme.finance.payments <- acme.retail.returns._protected.return_received: granted',
      'acme.marketing.campaigns <- acme.customer.profiles._protected.consent_changed: granted',
    ]);
    expect(view.consumptions.every((c) => c.access === 'public' || c.access === 'granted')).toBe(true);
    expect(view.problems).toEqual([]);
  });

  it('lists the five readers of order_placed and the one grant of order_payment on the Orders page', async () => {
    const orders = (await viewOf(EXAMPLE_SPECS)).products.find((p) => p.id === 'acme.retail.orders')!;
    const placed = orders.topics.find((t) => t.shortName === 'order_placed')!;
    expect(placed.consumers.map((c) => c.consumer).sort()).toEqual([
      'acme.analytics.customer360',
      'acme.analytics.sales_dashboard',
      'acme.marketing.campaigns',
      'acme.retail.inventory',
      'acme.retail.shipping',
    ]);
    const payment = orders.topics.find((t) => t.shortName === 'order_payment')!;
    expect(payment.grants.map((g) => [g.grantee, g.inMesh, g.consumed])).toEqual([['acme.finance.billing', true, true]]);
    expect(orders.topics.map((t) => t.visibility)).toEqual(['public', 'protected', 'private']);
  });

  it('sizes topics for the stack: dev scales partitions by 0.25 and caps replicas at 1', async () => {
    const orders = (await viewOf(EXAMPLE_SPECS, devStack())).products.find((p) => p.id === 'acme.retail.orders')!;
    // retail-orders.yaml: order_placed has 6 partitions and 3 replicas.
    expect(orders.topics.find((t) => t.shortName === 'order_placed')).toMatchObject({ partitions: 2, replicas: 1 });
    expect(orders.serviceAccount.email).toBe('mf-acme-retail-orders@acme-data-dev.iam.gserviceaccount.com');
    expect(orders.datasets.map((d) => d.datasetId)).toEqual(['acme_retail_orders_raw', 'acme_retail_orders_cleaned', 'acme_retail_orders_curated']);
    // Billing is granted order_payment, so its account may read the curated dataset.
    expect(orders.datasets[2].viewers).toEqual(['serviceAccount:mf-acme-finance-billing@acme-data-dev.iam.gserviceaccount.com']);
  });

  it('without a stack shows the spec values and a placeholder project', async () => {
    const orders = (await viewOf(EXAMPLE_SPECS)).products.find((p) => p.id === 'acme.retail.orders')!;
    expect(orders.topics.find((t) => t.shortName === 'order_placed')).toMatchObject({ partitions: 6, replicas: 3 });
    expect(orders.serviceAccount.email).toBe('mf-acme-retail-orders@<gcp-project>.iam.gserviceaccount.com');
  });
});

describe('catalog view of the edge-case mesh', () => {
  it('leaves out the spec with errors of its own and keeps its problem', async () => {
    const view = await viewOf(EDGE_MESH);
    expect(view.products.map((p) => p.id)).toEqual(['acme.legacy.stock', 'acme.shop.analytics', 'acme.shop.cart', 'acme.shop.marketing']);
    expect(view.problems.map((d) => d.code)).toContain('MF-META-MISSING');
  });

  it('marks what marketing reads: no grant, private, and two undeclared topics', async () => {
    const view = await viewOf(EDGE_MESH);
    const marketing = view.products.find((p) => p.id === 'acme.shop.marketing')!;
    expect(marketing.consumes.map((c) => [c.topic, c.access, c.owner ?? null])).toEqual([
      ['acme.legacy.crm._public.contacts', 'undeclared', null],
      ['acme.shop.cart._private.session', 'private', 'acme.shop.cart'],
      ['acme.shop.cart._protected.checkout', 'no-grant', 'acme.shop.cart'],
      ['acme.shop.cart._public.item_removed', 'undeclared', null],
    ]);
    expect(view.undeclaredTopics.map((u) => [u.name, u.expectedOwner ?? null])).toEqual([
      ['acme.legacy.crm._public.contacts', null],
      ['acme.shop.cart._public.item_removed', 'acme.shop.cart'],
    ]);
    expect(marketing.problems.map((d) => d.code).sort()).toEqual(['MF-CONSUME-NO-GRANT', 'MF-CONSUME-PRIVATE', 'MF-CONSUME-UNDECLARED', 'MF-CONSUME-UNDECLARED']);
  });

  it('shows a grant to a product outside the mesh, and gives it no dataset access', async () => {
    const cart = (await viewOf(EDGE_MESH)).products.find((p) => p.id === 'acme.shop.cart')!;
    const checkout = cart.topics.find((t) => t.shortName === 'checkout')!;
    expect(checkout.grants.map((g) => [g.grantee, g.inMesh, g.consumed])).toEqual([
      ['acme.shop.analytics', true, true],
      ['acme.fraud.scoring', false, false],
    ]);
    const curated = cart.datasets.find((d) => d.layer === 'curated')!;
    expect(curated.viewers).toEqual(['serviceAccount:mf-acme-shop-analytics@<gcp-project>.iam.gserviceaccount.com']);
  });

  it('reads the product description and the single curated layer of a consumer-aligned product', async () => {
    const analytics = (await viewOf(EDGE_MESH)).products.find((p) => p.id === 'acme.shop.analytics')!;
    expect(analytics).toMatchObject({ description: 'Conversion of carts into orders.', domainType: 'consumer-aligned' });
    expect(analytics.datasets.map((d) => [d.layer, d.datasetId, d.location])).toEqual([['curated', 'acme_shop_analytics_curated', 'EU']]);
  });
});

describe('catalog view of an input topic and quotas (test/fixtures/specs/valid/mesh-input-topic)', () => {
  const INPUTS = `${ROOT}/test/fixtures/specs/valid/mesh-input-topic`;

  it('the topic lists its writer with the tag line; the writer lists the write grant it received', async () => {
    const view = await viewOf(INPUTS, devStack());
    const topic = view.topics.get('acme.retail.orders._protected.order_commands')!;
    // orders.yaml line 17 tags the channel with grant-write:urn:acme:ops:alerting; alerting.yaml sends to it.
    expect(topic.writers).toEqual([
      {
        topic: 'acme.retail.orders._protected.order_commands',
        owner: 'acme.retail.orders',
        writer: 'acme.ops.alerting',
        writerUrn: 'urn:acme:ops:alerting',
        inMesh: true,
        sends: true,
        at: expect.stringMatching(/mesh-input-topic\/orders\.yaml:17$/),
      },
    ]);
    expect(topic.grants).toEqual([]);
    const alerting = view.products.find((p) => p.id === 'acme.ops.alerting')!;
    expect(alerting.writeGrantsReceived.map((w) => w.topic)).toEqual(['acme.retail.orders._protected.order_commands']);
    expect(alerting.quota).toEqual([]);
  });

  it("the owner's quota as orders.yaml lines 9-11 set it (the dev stack has no defaults or factor)", async () => {
    const view = await viewOf(INPUTS, devStack());
    const orders = view.products.find((p) => p.id === 'acme.retail.orders')!;
    expect(orders.quota.map((q) => [q.key, q.value, q.from.replace(/.*mesh-input-topic\//, '')])).toEqual([
      ['producer_byte_rate', 1048576, 'orders.yaml:9:5'],
      ['consumer_byte_rate', 2097152, 'orders.yaml:10:5'],
      ['request_percentage', 25, 'orders.yaml:11:5'],
    ]);
  });
});
