/**
 * A part of a plan (`--product`, `--kind`) and a product's schema subjects, on plans written by
 * hand: every expected value is spelled out here, never taken from the planner.
 */
import { selectPlan, matchesKind, matchesProduct } from '../../src/plan/select';
import { planSchemas, subjectName } from '../../src/plan/schemas';
import type { Plan, Resource } from '../../src/plan/types';
import { product, topic } from '../support/mesh';
import { stack } from '../support/stack';

/** A resource of a kind for a product; only kind, product and name matter to a selection. */
const resource = (product: string, kind: Resource['kind'], name: string) => ({ kind, product, name, properties: {} }) as unknown as Resource;

describe('selectPlan', () => {
  const plan = {
    stack: 'dev',
    products: [{ id: 'acme.retail' }, { id: 'acme.retail.orders' }, { id: 'acme.retailx.y' }, { id: 'acme.user' }],
    resources: [
      resource('acme.retail.orders', 'kafka:Topic', 't1'),
      resource('acme.retail.orders', 'kafka:Acl', 'a1'),
      resource('acme.retail.orders', 'gcp:bigquery:Dataset', 'd1'),
      resource('acme.retail.orders', 'gcp:bigquery:DatasetIamMember', 'm1'),
      resource('acme.retail', 'schema:Subject', 's1'),
      resource('acme.retailx.y', 'kafka:Topic', 't2'),
      resource('acme.user', 'crossplane:DataProduct', 'c1'),
    ],
  } as unknown as Plan;
  const pick = (products?: string[], kinds?: string[]) => {
    const part = selectPlan(plan, { products, kinds });
    return { stack: part.stack, products: part.products.map((p) => p.id), resources: part.resources.map((r) => r.name) };
  };

  test('no selection, or empty lists: the whole plan', () => {
    const whole = { stack: 'dev', products: ['acme.retail', 'acme.retail.orders', 'acme.retailx.y', 'acme.user'], resources: ['t1', 'a1', 'd1', 'm1', 's1', 't2', 'c1'] };
    expect(pick()).toEqual(whole);
    expect(pick([], [])).toEqual(whole);
  });

  test('a product id or a dotted prefix at a segment boundary', () => {
    expect(pick(['acme.retail'])).toEqual({ stack: 'dev', products: ['acme.retail', 'acme.retail.orders'], resources: ['t1', 'a1', 'd1', 'm1', 's1'] });
    expect(pick(['acme.retail.'])).toEqual({ stack: 'dev', products: ['acme.retail.orders'], resources: ['t1', 'a1', 'd1', 'm1'] });
    expect(pick(['acme.user', 'acme.retailx.y'])).toEqual({ stack: 'dev', products: ['acme.retailx.y', 'acme.user'], resources: ['t2', 'c1'] });
    expect(pick(['acme.ret'])).toEqual({ stack: 'dev', products: [], resources: [] });
    expect(matchesProduct('acme.retail', ['acme.retail'])).toBe(true);
    expect(matchesProduct('acme.retailx', ['acme.retail'])).toBe(false);
    expect(matchesProduct('acme.retail', ['acme.retail.'])).toBe(false);
    expect(matchesProduct('acme.retail.orders', ['acme.retail.'])).toBe(true);
    expect(matchesProduct('acme.retail.orders', undefined)).toBe(true);
  });

  test('a kind, its last segment or its leading segments, in any case', () => {
    expect(pick(undefined, ['kafka'])).toEqual({ stack: 'dev', products: ['acme.retail', 'acme.retail.orders', 'acme.retailx.y', 'acme.user'], resources: ['t1', 'a1', 't2'] });
    expect(pick(['acme.retail'], ['Acl', 'gcp:bigquery'])).toMatchObject({ resources: ['a1', 'd1', 'm1'] });
    expect(pick(undefined, ['KAFKA:TOPIC'])).toMatchObject({ resources: ['t1', 't2'] });
    expect(pick(undefined, ['dataset'])).toMatchObject({ resources: ['d1'] });
    expect(matchesKind('kafka:Acl', ['kaf'])).toBe(false);
    expect(matchesKind('kafka:Acl', ['cl'])).toBe(false);
    expect(matchesKind('kafka:Acl', ['kafka:'])).toBe(false);
    expect(matchesKind('gcp:bigquery:DatasetIamMember', ['bigquery'])).toBe(false);
    expect(matchesKind('gcp:bigquery:DatasetIamMember', ['gcp:BigQuery'])).toBe(true);
    expect(matchesKind('kafka:Acl', undefined)).toBe(true);
    expect(matchesKind('kafka:Acl', [])).toBe(true);
  });
});

describe('planSchemas', () => {
  const fact = (canonical: string) => ({ type: 'AVRO' as const, schema: JSON.parse(canonical) as unknown, canonical, location: { file: 'specs/acme-a.yaml', line: 1, col: 1 } });

  test("one subject per topic and role, <topic>-key before <topic>-value, the topic's level or the stack's", () => {
    const p = product('acme.a', {
      topics: [
        { ...topic('acme.a', 'public', 'placed'), schemas: { value: fact('"string"'), key: fact('"long"'), compatibility: 'FULL' as const } },
        { ...topic('acme.a', 'private', 'state'), schemas: { value: fact('"int"') } },
        { ...topic('acme.a', 'protected', 'keyed'), schemas: { key: fact('"bytes"') } },
        topic('acme.a', 'public', 'untyped'),
      ],
    });
    const subjects = planSchemas(p, stack({ schemas: { compatibility: 'BACKWARD_TRANSITIVE', registry: {} } }));
    expect(subjects.map((s) => [s.kind, s.product, s.name])).toEqual([
      ['schema:Subject', 'acme.a', 'acme.a/subject/acme.a._public.placed-key'],
      ['schema:Subject', 'acme.a', 'acme.a/subject/acme.a._public.placed-value'],
      ['schema:Subject', 'acme.a', 'acme.a/subject/acme.a._private.state-value'],
      ['schema:Subject', 'acme.a', 'acme.a/subject/acme.a._protected.keyed-key'],
    ]);
    expect(subjects.map((s) => s.properties)).toEqual([
      { subject: 'acme.a._public.placed-key', schemaType: 'AVRO', schema: '"long"', references: [], compatibility: 'FULL' },
      { subject: 'acme.a._public.placed-value', schemaType: 'AVRO', schema: '"string"', references: [], compatibility: 'FULL' },
      { subject: 'acme.a._private.state-value', schemaType: 'AVRO', schema: '"int"', references: [], compatibility: 'BACKWARD_TRANSITIVE' },
      { subject: 'acme.a._protected.keyed-key', schemaType: 'AVRO', schema: '"bytes"', references: [], compatibility: 'BACKWARD_TRANSITIVE' },
    ]);
    expect(subjectName('acme.a._public.x', 'value')).toBe('acme.a._public.x-value');
  });
});
