import * as path from 'node:path';
import { loadMesh } from '../../src/model';

const cwd = path.resolve(__dirname, '../..');

describe('the example specs in specs/', () => {
  it('validate with no errors and no warnings and build the documented mesh', async () => {
    const { mesh, diagnostics, files } = await loadMesh(['specs'], { cwd });
    expect(diagnostics).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const products = mesh?.products ?? [];
    expect(new Set(products.map((p) => p.businessDomain)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(products.map((p) => p.asyncapiVersion))).toEqual(new Set(['3.0.0', '2.6.0']));
    const topics = products.flatMap((p) => p.topics);
    expect(new Set(topics.map((t) => t.visibility))).toEqual(new Set(['public', 'protected', 'private']));
    expect(topics.some((t) => t.grants.length > 0)).toBe(true);
    expect(products.some((p) => p.consumes.some((c) => c.owner && c.owner !== p.id))).toBe(true);
    const layers = products.map((p) => p.storage.bigquery.layers.join(','));
    expect(layers).toContain('raw,cleaned,curated');
    expect(layers.some((l) => l !== 'raw,cleaned,curated')).toBe(true);
  });

  it('resolve grants and lineage across products', async () => {
    const { mesh } = await loadMesh(['specs'], { cwd });
    const orders = mesh?.products.find((p) => p.id === 'acme.retail.orders');
    const payment = orders?.topics.find((t) => t.name === 'acme.retail.orders._protected.order_payment');
    expect(payment?.grants.map((g) => g.grantee)).toEqual(['acme.finance.billing']);
    const billing = mesh?.products.find((p) => p.id === 'acme.finance.billing');
    expect(billing?.consumes).toEqual([expect.objectContaining({ topic: payment?.name, owner: 'acme.retail.orders' })]);
    expect(billing?.owners).toEqual(['group:finance@acme.com', 'serviceAccount:billing-ci@acme-prod.iam.gserviceaccount.com']);
    const placed = orders?.topics.find((t) => t.name.endsWith('order_placed'));
    expect(placed).toMatchObject({ partitions: 6, replicas: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000', 'min.insync.replicas': '2' } });
  });

  it('declare message schemas in Avro, JSON Schema and Protobuf, keys and a compatibility level', async () => {
    const { mesh } = await loadMesh(['specs'], { cwd });
    const topics = Object.fromEntries((mesh?.products ?? []).flatMap((p) => p.topics).map((t) => [t.name, t]));
    expect(topics['acme.retail.orders._public.order_placed'].schemas).toMatchObject({ compatibility: 'FULL', value: { type: 'AVRO' }, key: { type: 'AVRO', canonical: '"string"' } });
    expect(topics['acme.customer.profiles._public.profile_updated'].schemas?.value).toMatchObject({ type: 'AVRO', location: { file: 'specs/schemas/customer/profile-updated.avsc', line: 1 } });
    expect(topics['acme.finance.payments._protected.payment_captured'].schemas?.value).toMatchObject({ type: 'JSON', location: { file: 'specs/schemas/finance/payment-captured.json' } });
    expect(topics['acme.retail.shipping._public.parcel_shipped'].schemas?.value?.type).toBe('PROTOBUF');
    expect(JSON.parse(topics['acme.retail.inventory._public.stock_level'].schemas!.key!.canonical)).toMatchObject({ type: 'record', name: 'StockKey' });
  });
});
