/**
 * The written site: every page valid HTML with html-validate's recommended and accessibility rules
 * (a validator we did not write), texts escaped, the --out folder rules, exit codes, --serve.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { buildCatalog } from '../../src/catalog';
import { runCatalog } from '../../src/cli/catalog';
import { loadMesh } from '../../src/model';
import { runRecorded } from '../support/io';
import { EDGE_MESH, EXAMPLE_SPECS, ROOT, html, reports, siteOf } from './support';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended', 'html-validate:a11y'],
  rules: {
    // Style only: Preact writes <!doctype html> and <meta .../>, both valid HTML5.
    'doctype-style': 'off',
    'void-style': 'off',
    // Ids are product ids and topic names (a-z 0-9 . _ -): valid HTML5, but not the strict rule's subset.
    'valid-id': ['error', { relaxed: true }],
    // Titles carry the product's own title, whatever its length.
    'long-title': 'off',
  },
});

async function problemsIn(files: Map<string, string | Buffer>): Promise<string[]> {
  const problems: string[] = [];
  for (const [page, content] of files) {
    if (!page.endsWith('.html')) continue;
    const report = await validator.validateString(content.toString(), page);
    for (const result of report.results) for (const m of result.messages) problems.push(`${page}: ${m.ruleId}: ${m.message} (${m.selector})`);
  }
  return problems;
}

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'meshform-catalog-test-'));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

describe('catalog pages', () => {
  it('of the example mesh are valid, accessible HTML', async () => {
    const files = await siteOf(EXAMPLE_SPECS);
    expect([...files.keys()].filter((f) => f.endsWith('.html'))).toHaveLength(4 + 11);
    expect(await problemsIn(files)).toEqual([]);
  });

  it('of the edge-case mesh are valid too, and escape the HTML in spec texts', async () => {
    const files = await siteOf(EDGE_MESH);
    expect(await problemsIn(files)).toEqual([]);
    const cart = html(files, 'products/acme.shop.cart.html');
    expect(cart).not.toMatch(/<script>alert|<b>checkouts|<i>\(escaped/);
    expect(cart).toContain('Cart &lt;script>alert(&quot;cart&quot;)&lt;/script>');
    for (const [page, content] of files) if (page.endsWith('.html')) expect([page, content.toString().includes('<script>alert')]).toEqual([page, false]);
  });

  it('with governance rules, show each product\'s standing in valid, accessible HTML', async () => {
    const loaded = await loadMesh([join(ROOT, 'test', 'fixtures', 'governance', 'rules')], { cwd: ROOT });
    const files = await buildCatalog({ mesh: loaded.built, files: loaded.files, diagnostics: loaded.diagnostics, rules: loaded.rules });
    expect(html(files, 'products/acme.orders.html')).toContain('id="standing"');
    expect(await problemsIn(files)).toEqual([]);
  });

  it('render a JSON Schema payload as nested fields, with required marks, constraints and the recursive reference', async () => {
    const cart = html(await siteOf(EDGE_MESH), 'products/acme.shop.cart.html');
    const table = cart.slice(cart.indexOf('id="topic-acme.shop.cart._public.item_added"'));
    const rows = [...table.slice(0, table.indexOf('</table>')).matchAll(/<tr><th scope="row" class="depth-(\d)"><code>([^<]+)<\/code><\/th><td><code>([^<]+)<\/code><\/td><td>(yes)?<\/td><td>([^<]*)<\/td>/g)].map(
      (m) => [Number(m[1]), m[2], m[3], m[4] === 'yes', m[5]],
    );
    // From test/fixtures/catalog/edge-mesh/shop-cart.yaml and common/money.yaml, written out by hand.
    expect(rows).toEqual([
      [1, 'cartId', 'string (uuid)', true, 'The cart.'],
      [1, 'item', 'object', true, ''],
      [2, 'item.sku', 'string', true, 'maxLength 32'],
      [2, 'item.price', 'object', false, 'An amount in a currency.'],
      [3, 'item.price.amount', 'number', true, 'minimum 0'],
      [3, 'item.price.currency', 'string', true, 'pattern &quot;^[A-Z]{3}$&quot;; e.g. &quot;EUR&quot;'],
      [2, 'item.tags', 'array of string', false, ''],
      [1, 'discounts', 'array of object', false, ''],
      [2, 'discounts[]', 'object', false, ''],
      [3, 'discounts[].code', 'string', false, ''],
      [3, 'discounts[].value', 'object', false, 'An amount in a currency.'],
      [4, 'discounts[].value.amount', 'number', true, 'minimum 0'],
      [4, 'discounts[].value.currency', 'string', true, 'pattern &quot;^[A-Z]{3}$&quot;; e.g. &quot;EUR&quot;'],
      [1, 'channel', 'string', false, 'one of &quot;web&quot;, &quot;app&quot;, &quot;store&quot;; default &quot;web&quot;'],
      [1, 'category', 'object', false, ''],
      [2, 'category.name', 'string', false, ''],
      [2, 'category.parent', 'see #/components/schemas/Category', false, 'recursive: the schema refers to itself'],
    ]);
  });

  it('render the Avro and Protobuf schemas of the model as fields, with the key schema and the compatibility level', async () => {
    const text = (files: Map<string, string | Buffer>, page: string) => html(files, page).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // legacy-stock.yaml: an Avro record with two fields and no defaults.
    const stock = text(await siteOf(EDGE_MESH), 'products/acme.legacy.stock.html');
    expect(stock).toContain('Value schema AVRO');
    expect(stock).toContain('Field Type Required Notes sku string yes quantity int yes');
    const example = await siteOf(EXAMPLE_SPECS);
    // specs/retail-orders.yaml: order_placed is Avro with a string key and compatibility FULL.
    const orders = text(example, 'products/acme.retail.orders.html');
    expect(orders).toContain('Value schema AVRO compatibility FULL');
    expect(orders).toMatch(/Key schema AVRO <?\s*string/);
    // specs/retail-shipping.yaml: a proto3 message ParcelShipped.
    expect(text(example, 'products/acme.retail.shipping.html')).toContain('Value schema PROTOBUF Field Type Required Notes ParcelShipped.parcel_id string');
  });
});

describe('catalog pages of topics not named by their channel address', () => {
  const text = (files: Map<string, string | Buffer>, page: string) => html(files, page).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('show the message of a topic that bindings.kafka.topic names', async () => {
    // test/fixtures/catalog/topic-named-by-binding/orders.yaml: address orders/placed, topic _public.order_placed.
    const files = await siteOf(join(ROOT, 'test', 'fixtures', 'catalog', 'topic-named-by-binding'));
    expect(text(files, 'products/acme.retail.orders.html')).toContain('Message orderPlaced application/json An order was placed');
  });

  it('show the message of a SpecMesh tag-only topic (<id>.<name>)', async () => {
    // test/fixtures/specmesh/grid/sim.grid.outages-api.yaml: outage_events publishes one application/json message
    // without a name (shown as `message 1`), then its value schema.
    const outages = text(await siteOf(join(ROOT, 'test', 'fixtures', 'specmesh')), 'products/sim.grid.outages.html');
    expect(outages).toMatch(/sim\.grid\.outages\.outage_events Partitions 3 .*? Message message 1 application\/json Value schema JSON/);
  });
});

describe('catalog pages with live reports', () => {
  it('show what is stored per topic, the consumer groups and their lag, and stay valid', async () => {
    const files = await siteOf(EXAMPLE_SPECS, undefined, reports());
    expect(await problemsIn(files)).toEqual([]);
    const text = (page: string) => html(files, page).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const orders = text('products/acme.retail.orders.html');
    // test/fixtures/catalog/reports: 611 + 391 bytes in order_placed, 8 offsets; legacy_feed is on the cluster only.
    expect(orders).toContain('acme.retail.orders._public.order_placed 2 1002 B 1002 B 8');
    expect(orders).toContain('acme.retail.orders._public.legacy_feed in no spec 1 110 B 110 B 0');
    expect(orders).toContain('acme.retail.orders._private.order_state not on the cluster');
    expect(orders).toContain('All topics 1.4 KiB 1.4 KiB 10');
    expect(orders).toContain('Lag acme.retail.shipping.orders-reader 6, acme.finance.billing.peek 0');
    const shipping = text('products/acme.retail.shipping.html');
    expect(shipping).toContain('acme.retail.shipping.orders-reader Stable acme.retail.orders._public.order_placed 6');
    expect(text('products/acme.finance.billing.html')).toContain('acme.finance.billing.peek Empty acme.retail.orders._public.order_placed not in the spec 0');
    expect(text('index.html')).toContain('Stored 1.4 KiB');
    expect(text('index.html')).toContain('Generated by meshform from 11 spec files and storage.json, consumption.json.');
  });
});

describe('meshform catalog', () => {
  it('writes the site and says where', async () => {
    const out = join(temp, 'site');
    const run = await runRecorded((io) => runCatalog([EXAMPLE_SPECS], { out, stack: 'dev' }, io));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`wrote 15 pages for 11 product(s) to ${out}`);
    expect(readdirSync(join(out, 'products'))).toHaveLength(11);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('stack dev');
  });

  it('writes the mesh with its problems, then exits 1', async () => {
    const out = join(temp, 'site');
    const run = await runRecorded((io) => runCatalog([EDGE_MESH], { out }, io));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error MF-CONSUME-NO-GRANT');
    expect(run.stderr).toContain('3 error(s), 4 warning(s): the catalog shows the mesh with its problems marked');
    expect(readFileSync(join(out, 'problems.html'), 'utf8')).toContain('MF-CONSUME-NO-GRANT');
  });

  it('rewrites its own folder, removing pages of products that are gone, and nothing else', async () => {
    const out = join(temp, 'site');
    await runRecorded((io) => runCatalog([EXAMPLE_SPECS], { out }, io));
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const run = await runRecorded((io) => runCatalog([EDGE_MESH], { out }, io));
    expect(run.stderr).toContain('removed 11 stale file(s)');
    expect(readdirSync(join(out, 'products')).sort()).toEqual(['acme.legacy.stock.html', 'acme.shop.analytics.html', 'acme.shop.cart.html', 'acme.shop.marketing.html']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a folder that holds something else, and leaves it as it was', async () => {
    const out = join(temp, 'photos');
    mkdirSync(out);
    writeFileSync(join(out, 'cat.jpg'), 'meow');
    const run = await runRecorded((io) => runCatalog([EXAMPLE_SPECS], { out }, io));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out ${out} is not empty and holds no catalog meshform wrote`);
    expect(readdirSync(out)).toEqual(['cat.jpg']);
  });

  it.each([
    ['storage', '{"report": "meshform.kafka.consumption/v1", "products": [], "notes": []}', 'not a meshform.kafka.storage/v1 report (it is a meshform.kafka.consumption/v1 report)'],
    ['storage', 'nope', 'not JSON'],
    ['consumption', undefined, 'cannot read it: '],
  ] as const)('refuses a bad --%s report file (exit 2), writing nothing', async (kind, text, message) => {
    const file = join(temp, 'report.json');
    if (text !== undefined) writeFileSync(file, text);
    const out = join(temp, 'site');
    const run = await runRecorded((io) => runCatalog([EXAMPLE_SPECS], { out, [kind]: file }, io));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`meshform catalog: --${kind} ${file}: ${message}`);
    expect(existsSync(out)).toBe(false);
  });

  it('a path that does not exist is a usage error', async () => {
    const run = await runRecorded((io) => runCatalog([join(temp, 'nope')], { out: join(temp, 'site') }, io));
    expect(run.code).toBe(2);
  });

  it('--serve serves the site on loopback until stopped, then removes its temporary folder', async () => {
    let served: { index: string; status: number; head: number; escape: number; post: number } | undefined;
    let folder = '';
    const run = await runRecorded((io) =>
      runCatalog([EXAMPLE_SPECS], {
        serve: true,
        untilStopped: async (url) => {
          expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
          const index = await fetch(url);
          served = {
            index: await index.text(),
            status: (await fetch(url + 'products/acme.retail.orders.html')).status,
            head: (await fetch(url + 'assets/catalog.css', { method: 'HEAD' })).status,
            escape: Math.max((await fetch(url + '%2e%2e/%2e%2e/package.json')).status, (await fetch(url + '..%2f..%2fpackage.json')).status),
            post: (await fetch(url, { method: 'POST' })).status,
          };
        },
      }, io),
    );
    folder = /to (\S+meshform-catalog-\S+)/.exec(run.stderr)?.[1] ?? '';
    expect(run.code).toBe(0);
    expect(served).toMatchObject({ status: 200, head: 200, escape: 404, post: 405 });
    expect(served?.index).toContain('<h1>Data products</h1>');
    expect(folder).not.toBe('');
    expect(existsSync(folder)).toBe(false);
  });
});
