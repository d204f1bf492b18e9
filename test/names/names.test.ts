import {
  backstageName,
  datasetId,
  k8sName,
  labelValue,
  resourceName,
  serviceAccountEmail,
  serviceAccountId,
  shortHash,
} from '../../src/names';
import { LAYERS } from '../../src/vocabulary/mesh';

const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
const ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
/** Backstage's descriptor format: sequences of [a-zA-Z0-9] separated by one of [-_.]. */
const BACKSTAGE_NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;

/** Small seeded generator (mulberry32) so a failing input can be reproduced. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

/** Product-id-like strings: long, digits-first, `-`/`_` mixes, and every `.`/`_`/`-` variant of each. */
function generatedIds(count: number): string[] {
  const next = random(42);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const ids = new Set<string>();
  while (ids.size < count) {
    const segments = 1 + Math.floor(next() * 6);
    const words: string[] = [];
    for (let s = 0; s < segments; s++) {
      const length = 1 + Math.floor(next() * (next() < 0.1 ? 60 : 10));
      let word = '';
      for (let c = 0; c < length; c++) word += next() < 0.1 ? pick(next, ['-', '_']) : pick(next, [...alphabet]);
      words.push(word);
    }
    const id = words.join('.');
    ids.add(id);
    // Near-duplicates: the same words joined by each separator the targets merge.
    ids.add(words.join('_'));
    ids.add(words.join('-'));
    ids.add(id.toUpperCase());
  }
  return [...ids];
}

const ODD_IDS = [
  'a',
  '1',
  '9acme.retail',
  'acme.user',
  'acme.userprops',
  'acme.retail.orders',
  'acme.retail_orders',
  'acme_retail.orders',
  'acme-retail.orders',
  'acme.retail-orders',
  'acme..retail',
  '.acme',
  'acme.',
  '-acme-',
  '_acme_',
  '___',
  '---',
  '...',
  'ACME.Retail',
  'acme.retail.orders__x',
  'acme.retail.orders--x',
  'münchen.orders',
  'x'.repeat(300),
  'x'.repeat(299) + 'y',
  'a'.repeat(27),
  'a'.repeat(28),
];

describe('names', () => {
  const ids = [...generatedIds(4000), ...ODD_IDS];

  test('plain product ids map readably, without a hash', () => {
    expect(datasetId('acme.retail.orders', 'raw')).toBe('acme_retail_orders_raw');
    expect(serviceAccountId('acme.retail.orders')).toBe('mf-acme-retail-orders');
    expect(serviceAccountEmail('acme.retail.orders', 'acme-data-dev')).toBe(
      'mf-acme-retail-orders@acme-data-dev.iam.gserviceaccount.com',
    );
    expect(k8sName('acme.retail.orders')).toBe('acme-retail-orders');
    expect(backstageName('acme.analytics.sales_dashboard')).toBe('acme.analytics.sales_dashboard');
    expect(labelValue('acme.retail.order-events')).toBe('acme_retail_order-events');
    expect(labelValue('source-aligned')).toBe('source-aligned');
    expect(labelValue('')).toBe('');
  });

  test('lossy or shortened names keep a readable part and add a hash of the full input', () => {
    const hash = shortHash('acme.retail_orders');
    expect(hash).toMatch(/^[a-z0-9]{8}$/);
    expect(datasetId('acme.retail_orders', 'curated')).toBe(`acme_retail_orders_curated__${hash}`);
    expect(serviceAccountId('acme.retail_orders')).toBe(`mf-acme-retail-order--${hash}`);
    const long = 'acme.logistics.warehouse.inventory';
    expect(serviceAccountId(long)).toBe(`mf-acme-logistics-wa--${shortHash(long)}`);
    expect(k8sName('a'.repeat(70))).toBe(`${'a'.repeat(53)}--${shortHash('a'.repeat(70))}`);
    expect(backstageName('acme.retail__orders')).toBe(`acme.retail_orders-${shortHash('acme.retail__orders')}`);
    expect(backstageName('Acme.Orders')).toBe(`acme.orders-${shortHash('Acme.Orders')}`);
  });

  test('every generated name is valid for its target', () => {
    for (const id of ids) {
      for (const layer of LAYERS) expect(datasetId(id, layer)).toMatch(DATASET_ID);
      const account = serviceAccountId(id);
      expect(account).toMatch(ACCOUNT_ID);
      expect(account.length).toBeGreaterThanOrEqual(6);
      expect(account.length).toBeLessThanOrEqual(30);
      const k8s = k8sName(id);
      expect(k8s).toMatch(RFC1123_LABEL);
      expect(k8s.length).toBeLessThanOrEqual(63);
      expect(labelValue(id)).toMatch(LABEL_VALUE);
      const backstage = backstageName(id);
      expect(backstage).toMatch(BACKSTAGE_NAME);
      expect(backstage.length).toBeLessThanOrEqual(63);
    }
  });

  test('distinct product ids never share a name', () => {
    const makers: Record<string, (id: string) => string> = {
      datasetRaw: (id) => datasetId(id, 'raw'),
      serviceAccountId,
      k8sName,
      labelValue,
      backstageName,
    };
    for (const [target, make] of Object.entries(makers)) {
      const seen = new Map<string, string>();
      for (const id of ids) {
        const name = make(id);
        const other = seen.get(name);
        if (other !== undefined && other !== id) throw new Error(`${target}: '${id}' and '${other}' both give '${name}'`);
        seen.set(name, id);
      }
      expect(seen.size).toBe(new Set(ids).size);
    }
  });

  test('dataset ids of one product differ by layer and never equal another product layer name', () => {
    const all = new Set<string>();
    for (const id of ids) for (const layer of LAYERS) all.add(datasetId(id, layer));
    expect(all.size).toBe(new Set(ids).size * LAYERS.length);
  });

  test('names are stable: the same input always gives the same name', () => {
    for (const id of ids.slice(0, 200)) {
      expect(serviceAccountId(id)).toBe(serviceAccountId(id));
      expect(datasetId(id, 'raw')).toBe(datasetId(id, 'raw'));
    }
    // Pinned: a change of hash scheme would rename every shortened cloud resource.
    expect(shortHash('acme.retail.orders')).toBe('sp3eglun');
    expect(serviceAccountId('acme.logistics.warehouse.inventory')).toBe('mf-acme-logistics-wa--vmka4suf');
  });

  describe('resourceName', () => {
    test('joins parts readably', () => {
      expect(resourceName('acme.retail.orders', 'topic', 'acme.retail.orders._public.x')).toBe(
        'acme.retail.orders/topic/acme.retail.orders._public.x',
      );
      expect(resourceName('acl', 'User:acme.user', 'TOPIC', 'PREFIXED', 'acme.user.', 'READ')).toBe(
        'acl/User:acme.user/TOPIC/PREFIXED/acme.user./READ',
      );
    });

    test('distinct part lists give distinct names, with no "::" for Pulumi URNs', () => {
      const lists = [
        ['a/b', 'c'],
        ['a', 'b/c'],
        ['a', 'b', 'c'],
        ['a%2Fb', 'c'],
        ['a::b'],
        ['a:', ':b'],
        ['a', ':b'],
        ['😀'],
        ['😁'],
        ['a b'],
        ['a', ''],
        ['a'],
      ];
      const names = lists.map((parts) => resourceName(...parts));
      expect(new Set(names).size).toBe(lists.length);
      for (const name of names) expect(name).not.toContain('::');
    });
  });
});
