/**
 * Hostile text in every field of a spec reaches the catalog's HTML escaped: no page holds any of
 * the fixture's markup as markup (the browser test checks that no script runs).
 */
import { loadStack } from '../../src/stack/load';
import { HOSTILE_MESH, NEVER_RAW, ORDERS_TEXTS } from './hostile-text';
import { ROOT, load, siteOf } from './support';

describe('catalog: hostile text is escaped in every page', () => {
  it('the fixture is a valid mesh whose texts are the ones written by hand', async () => {
    const { mesh, diagnostics } = await load(HOSTILE_MESH);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const orders = mesh.products.find((p) => p.id === 'acme.hostile.orders')!;
    expect(orders.title).toBe(ORDERS_TEXTS[0]);
    expect(orders.description).toBe(ORDERS_TEXTS[1]);
    expect(orders.owners).toContain(ORDERS_TEXTS[2]);
  });

  it('no page or script holds the markup unescaped', async () => {
    const { stack } = loadStack('dev', { root: ROOT });
    const site = await siteOf(HOSTILE_MESH, stack);
    const pages = [...site.entries()].filter(([name]) => /\.(html|js)$/.test(name));
    expect(pages.length).toBeGreaterThan(3);
    for (const [name, content] of pages) {
      const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      for (const raw of NEVER_RAW) {
        if (text.includes(raw)) throw new Error(`${name} holds ${raw} unescaped`);
      }
    }
  });
});
