/** `meshform init`: a spec that validates (by meshform and by @asyncapi/parser itself), where it is asked for, never over a file. */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { loadMesh } from '../../src/model';
import { expectRecorded } from '../support/recorded';
import { runCli } from './support';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshform-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('meshform init', () => {
  it('writes <domain>-<product>.yaml into a new folder: valid for meshform and for the default AsyncAPI parser', async () => {
    const folder = join(dir, 'specs');
    const run = await runCli('init', 'urn:acme:retail:orders', '--dir', folder, '--owner', 'group:orders@acme.com');
    expect(run.code).toBe(0);
    const file = join(folder, 'retail-orders.yaml');
    expect(run.stderr.split('\n')[0]).toBe(`meshform init: wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    expectRecorded(join(__dirname, 'recorded', 'init', 'retail-orders.yaml'), text);

    const { diagnostics, document } = await new Parser().parse(text);
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document?.info().id()).toBe('urn:acme:retail:orders');
    const loaded = await loadMesh([folder]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.mesh?.products.map((p) => [p.id, p.owners, p.topics.map((t) => t.name)])).toEqual([
      ['acme.retail.orders', ['group:orders@acme.com'], ['acme.retail.orders._public.example']],
    ]);
  });

  it('without --owner writes a placeholder that validates and says to replace it', async () => {
    const run = await runCli('init', 'urn:acme:orders', '--dir', dir);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'orders.yaml'), 'utf8')).toContain('owners: [user:replace-me@example.com]  # replace: who answers for this product');
  });

  it('keeps an existing file unless --force, exit 2', async () => {
    writeFileSync(join(dir, 'retail-orders.yaml'), '# mine\n');
    const refused = await runCli('init', 'urn:acme:retail:orders', '--dir', dir);
    expect(refused).toMatchObject({ code: 2, stderr: `meshform init: ${join(dir, 'retail-orders.yaml')} already exists; pass --force to overwrite it` });
    expect(readFileSync(join(dir, 'retail-orders.yaml'), 'utf8')).toBe('# mine\n');
    expect((await runCli('init', 'urn:acme:retail:orders', '--dir', dir, '--force')).code).toBe(0);
  });

  it('refuses an id the folder already has, exit 1, and writes nothing', async () => {
    cpSync(join(__dirname, '..', '..', 'specs'), dir, { recursive: true });
    renameSync(join(dir, 'retail-orders.yaml'), join(dir, 'orders.yaml'));
    const run = await runCli('init', 'urn:acme:retail:orders', '--dir', dir);
    expect(run).toMatchObject({ code: 1, stderr: `meshform init: acme.retail.orders is already a product in ${dir}; pick another id` });
    expect(existsSync(join(dir, 'retail-orders.yaml'))).toBe(false);
    const fresh = await runCli('init', 'urn:acme:retail:loyalty', '--dir', dir);
    expect(fresh.code).toBe(0);
  });

  it.each([
    [['urn:Acme:x'], 'meshform init: "urn:Acme:x" is not a product URN: urn:<org>:<domain>:<product>, lowercase, e.g. urn:acme:retail:orders'],
    [['urn:acme:_private:x'], 'meshform init: "urn:acme:_private:x" has the segment "_private": segments starting with "_" are reserved'],
    [['urn:acme:x', '--owner', 'alice'], 'meshform init: --owner alice is not an email or user:/group:/serviceAccount:<email> or domain:<domain>'],
  ])('%j is a usage error, exit 2', async (args, message) => {
    const run = await runCli('init', ...(args as string[]), '--dir', dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message} (see 'meshform init --help')`);
  });

  describe('with a mesh file', () => {
    const MESH = `# Owners of every product below this folder, by id prefix.
dialect: asyncapi
owners:
  acme.finance: [group:finance@acme.com]   # the finance domain
defaults:
  domainType: source-aligned
`;

    it('adds the product to its owners (keeping the rest of the file byte for byte) and writes a spec without owners', async () => {
      writeFileSync(join(dir, 'meshform.yaml'), MESH);
      const run = await runCli('init', 'urn:acme:retail:orders', '--dir', dir, '--owner', 'group:orders@acme.com');
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`meshform init: added acme.retail.orders to the owners in ${join(dir, 'meshform.yaml')}`);
      expect(readFileSync(join(dir, 'meshform.yaml'), 'utf8')).toBe(MESH.replace('   # the finance domain\n', '   # the finance domain\n  acme.retail.orders: [group:orders@acme.com]\n'));
      const spec = readFileSync(join(dir, 'retail-orders.yaml'), 'utf8');
      expect(spec).not.toMatch(/^x-meshform:/m);
      expect(spec).toContain(`# Owners and defaults come from ${join(dir, 'meshform.yaml')}; keys set here win, e.g.`);
      // The mesh file gives the product its owners: meshform reads them from there.
      const loaded = await loadMesh([dir]);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.mesh?.products.map((p) => [p.id, p.owners])).toEqual([['acme.retail.orders', ['group:orders@acme.com']]]);
    });

    it('leaves it alone when a prefix there covers the product', async () => {
      writeFileSync(join(dir, 'meshform.yaml'), MESH);
      const run = await runCli('init', 'urn:acme:finance:billing', '--dir', dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`meshform init: ${join(dir, 'meshform.yaml')}: owners of acme.finance cover acme.finance.billing; left as it is`);
      expect(readFileSync(join(dir, 'meshform.yaml'), 'utf8')).toBe(MESH);
      expect((await loadMesh([dir])).mesh?.products.map((p) => [p.id, p.owners])).toEqual([['acme.finance.billing', ['group:finance@acme.com']]]);
    });

    it('adds an owners: section, or an entry under an empty one', async () => {
      writeFileSync(join(dir, 'meshform.yaml'), 'dialect: asyncapi\n');
      await runCli('init', 'urn:acme:retail:shipping', '--dir', dir, '--owner', 'group:shipping@acme.com');
      expect(readFileSync(join(dir, 'meshform.yaml'), 'utf8')).toBe('dialect: asyncapi\nowners:\n  acme.retail.shipping: [group:shipping@acme.com]\n');
      writeFileSync(join(dir, 'meshform.yaml'), 'owners:   # none yet\ndialect: asyncapi\n');
      await runCli('init', 'urn:acme:retail:returns', '--dir', dir, '--owner', 'group:returns@acme.com');
      expect(readFileSync(join(dir, 'meshform.yaml'), 'utf8')).toBe('owners:   # none yet\n  acme.retail.returns: [group:returns@acme.com]\ndialect: asyncapi\n');
    });
  });
});
