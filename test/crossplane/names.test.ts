/**
 * Long and odd product ids still give DataProducts the XRD accepts, with dataset ids, account ids
 * and object names unique across the mesh.
 */
import { planDataProduct } from '../../src/plan/crossplane';
import { mesh, product } from '../support/mesh';
import { stack } from '../support/stack';
import { compileXrSchema } from './support/package';

const ODD_IDS = [
  'a.b',
  'acme.a-b',
  'acme.a_b',
  'acme.a.b',
  'acme.ab',
  'acme.a--b',
  'acme.a__b',
  '9lives.x',
  'x',
  'acme.retail.orders',
  'acme.retail.orders-v2',
  'acme.retail.orders_v2',
  'acme.retail.orders.v2',
  `acme.${'very-long-segment.'.repeat(20)}end`,
  `acme.${'very-long-segment.'.repeat(20)}end2`,
  `${'z'.repeat(200)}.${'y'.repeat(200)}`,
  `-lead.trail-`,
  `_lead.trail_`,
];

/** Generated ids: every combination of short segments and separators the URN grammar allows. */
function generatedIds(): string[] {
  const words = ['a', 'ab', '1', 'a-1', 'a_1', '-', '_'];
  const ids: string[] = [];
  for (const first of words) for (const second of words) for (const third of ['', ...words]) {
    ids.push([first, second, third].filter(Boolean).join('.'));
  }
  return [...new Set(ids)];
}

describe.each([
  ['odd ids', ODD_IDS],
  ['generated ids', generatedIds()],
])('%s', (_name, ids) => {
  const m = mesh(...ids.map((id) => product(id)));
  const s = stack();
  const planned = m.products.map((p) => planDataProduct(p, m, s));
  const validate = compileXrSchema();

  test('every DataProduct validates against the XRD', () => {
    const invalid = planned.filter((dp) => !validate(dp.properties)).map((dp) => [dp.product, validate.errors]);
    expect(invalid).toEqual([]);
  });

  test('dataset ids, account ids and object names are unique and within limits', () => {
    const specs = planned.map((dp) => dp.properties.spec);
    const datasets = specs.flatMap((s) => s.datasets.map((d) => d.datasetId));
    const accounts = specs.map((s) => s.serviceAccount.accountId);
    const objects = planned.map((dp) => dp.properties.metadata.name);
    expect(new Set(datasets).size).toBe(datasets.length);
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(new Set(objects).size).toBe(objects.length);
    for (const a of accounts) expect(a).toMatch(/^[a-z]([-a-z0-9]{4,28})[a-z0-9]$/);
    for (const d of datasets) expect(d).toMatch(/^[A-Za-z0-9_]{1,1024}$/);
    for (const o of objects) expect(o).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    for (const labels of planned.map((dp) => Object.values(dp.properties.metadata.labels ?? {}))) {
      for (const v of labels) expect(v).toMatch(/^([a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?)?$/);
    }
  });
});
