import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import { VALID } from './corpus';

const cwd = path.resolve(__dirname, '../..');

describe('valid spec corpus', () => {
  const topFiles = fs.readdirSync(VALID).filter((f) => fs.statSync(path.join(VALID, f)).isFile()).map((f) => path.join(VALID, f));
  const folders = fs.readdirSync(VALID).filter((f) => fs.statSync(path.join(VALID, f)).isDirectory());

  it('covers 3.0, 2.6 and 2.0 in YAML and JSON', () => {
    const names = topFiles.map((f) => path.basename(f));
    expect(names.some((n) => n.startsWith('v3-0') && n.endsWith('.yaml'))).toBe(true);
    expect(names.some((n) => n.startsWith('v3-0') && n.endsWith('.json'))).toBe(true);
    expect(names.some((n) => n.startsWith('v2-6'))).toBe(true);
    expect(names.some((n) => n.startsWith('v2-0'))).toBe(true);
  });

  it('the top-level files form one mesh without errors or warnings', async () => {
    const result = await loadMesh(topFiles, { cwd });
    expect(result.diagnostics).toEqual([]);
    expect(result.mesh?.products.map((p) => p.id)).toEqual([
      'acme.analytics.customer360', 'acme.finance.billing', 'acme.retail.inventory', 'acme.retail.orders', 'acme.retail.shipping',
    ]);
  });

  it.each(folders)('%s forms a mesh without errors or warnings', async (folder) => {
    const result = await loadMesh([path.join(VALID, folder)], { cwd });
    expect(result.diagnostics).toEqual([]);
    expect(result.mesh?.products.length).toBeGreaterThan(0);
  });

  it('a shared fragment file that a spec references is not read as a spec', async () => {
    const result = await loadMesh([path.join(VALID, 'v3-0-shared-schema-file')], { cwd });
    expect(result.files).toEqual(['test/fixtures/specs/valid/v3-0-shared-schema-file/payments.yaml']);
  });

  it('a spec may refer into another spec read before it (specs are let go once checked, and read again when referred to)', async () => {
    const result = await loadMesh([path.join(VALID, 'mesh-spec-refers-to-spec')], { cwd });
    expect(result.files).toEqual([
      'test/fixtures/specs/valid/mesh-spec-refers-to-spec/a-billing.yaml',
      'test/fixtures/specs/valid/mesh-spec-refers-to-spec/b-invoices.yaml',
    ]);
    const topics = result.mesh?.products.flatMap((p) => p.topics) ?? [];
    expect(topics.map((t) => [t.name, Object.keys((t.schemas?.value?.schema as { properties?: object })?.properties ?? {})])).toEqual([
      ['acme.finance.billing._public.billed', ['invoiceId', 'amountCents']],
      ['acme.finance.invoices._public.issued', ['invoiceId', 'amountCents']],
    ]);
  });

  it('nested product ids (acme.user, acme.user.profile) each own their own topics and may consume each other', async () => {
    const result = await loadMesh([path.join(VALID, 'mesh-nested-product-ids')], { cwd });
    const byId = new Map(result.mesh?.products.map((p) => [p.id, p]));
    expect([...byId.keys()]).toEqual(['acme.user', 'acme.user.profile', 'acme.userprops']);
    expect(byId.get('acme.user')?.topics.map((t) => t.name)).toEqual(['acme.user._private.state', 'acme.user._public.registered']);
    expect(byId.get('acme.user.profile')?.topics.map((t) => t.name)).toEqual(['acme.user.profile._public.changed']);
    expect(byId.get('acme.user')?.consumes).toEqual([expect.objectContaining({ topic: 'acme.user.profile._public.changed', owner: 'acme.user.profile' })]);
    expect(byId.get('acme.user.profile')?.consumes).toEqual([expect.objectContaining({ topic: 'acme.user._public.registered', owner: 'acme.user' })]);
    expect(byId.get('acme.userprops')?.topics.map((t) => t.name)).toEqual(['acme.userprops._public.props']);
  });

  it('the fully qualified topic goes to the longest matching product id', async () => {
    const result = await loadMesh([path.join(VALID, 'mesh-longest-prefix-owner')], { cwd });
    const orders = result.mesh?.products.find((p) => p.id === 'acme.retail.orders');
    expect(orders?.topics.map((t) => t.name)).toEqual(['acme.retail.orders._public.order_placed']);
    expect(orders?.consumes).toEqual([expect.objectContaining({ topic: 'acme.retail._public.stores', owner: 'acme.retail' })]);
  });
});
