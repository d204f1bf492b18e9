/**
 * The mesh index and a product repository's `meshform breaking --mesh`: the mesh repository holds
 * three products; the orders team's own repository holds only its spec, so without the index it
 * cannot know who reads its topics. Expected index contents and findings are written by hand.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { tempTree, type TempTree } from '../schemas/support';

const BIN = path.resolve(__dirname, '../../bin/meshform.js');
const PLACED = 'acme.orders._public.placed';
const PAYMENT = 'acme.orders._protected.payment';

function orders({ placed = true, grantBilling = true } = {}): string {
  return [
    'asyncapi: 3.0.0',
    'id: urn:acme:orders',
    'info: {title: Orders, version: 1.0.0}',
    'x-meshform: {owners: [group:orders@acme.com]}',
    'channels:',
    ...(placed ? ['  placed:', '    address: _public.placed', '    messages: {m: {payload: {type: object, properties: {id: {type: string}}}}}'] : []),
    '  payment:',
    '    address: _protected.payment',
    ...(grantBilling ? ['    tags: [{name: "grant-access:urn:acme:billing"}]'] : []),
    "    messages: {m: {payload: {schemaFormat: 'application/vnd.apache.avro;version=1.9.0', schema: {type: record, name: Payment, fields: [{name: id, type: string}]}}}}",
    'operations:',
    ...(placed ? ["  s1: {action: send, channel: {$ref: '#/channels/placed'}}"] : []),
    "  s2: {action: send, channel: {$ref: '#/channels/payment'}}",
    '',
  ].join('\n');
}

function consumer(id: string, topics: string[]): string {
  return [
    'asyncapi: 3.0.0',
    `id: urn:${id.replace(/\./g, ':')}`,
    `info: {title: ${id}, version: 1.0.0}`,
    'x-meshform: {owners: [group:team@acme.com]}',
    'channels:',
    ...topics.flatMap((t, i) => [`  c${i}:`, `    address: ${t}`, '    messages: {m: {payload: {type: object}}}']),
    'operations:',
    ...topics.map((_, i) => `  r${i}: {action: receive, channel: {$ref: '#/channels/c${i}'}}`),
    '',
  ].join('\n');
}

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' };
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

describe('the mesh index and breaking --mesh in a product repository', () => {
  let mesh: TempTree;
  let product: TempTree;
  let indexFile: string;

  beforeAll(() => {
    mesh = tempTree({
      'specs/orders.yaml': orders(),
      'specs/billing.yaml': consumer('acme.billing', [PLACED, PAYMENT]),
      'specs/marketing.yaml': consumer('acme.marketing', [PLACED]),
    });
    indexFile = path.join(mesh.dir, 'out', 'mesh.json');
    product = tempTree({ 'specs/orders.yaml': orders() });
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'v1']]) expect(spawnSync('git', args, { cwd: product.dir, env: GIT_ENV }).status).toBe(0);
  });
  afterAll(() => {
    mesh.cleanup();
    product.cleanup();
  });

  it('export mesh-index lists products, topics with visibility, grants, consumers and subjects, and what each consumes', () => {
    const run = cli(mesh.dir, 'export', 'mesh-index', 'specs', '--out', indexFile);
    expect(run.stderr).toBe('meshform export mesh-index: wrote 3 product(s) to ' + indexFile + '\n');
    expect(run.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(indexFile, 'utf8'))).toEqual({
      meshIndex: 'meshform.mesh-index/v1',
      products: [
        { id: 'acme.billing', urn: 'urn:acme:billing', title: 'acme.billing', owners: ['group:team@acme.com'], file: 'specs/billing.yaml', topics: [], consumes: [PAYMENT, PLACED] },
        { id: 'acme.marketing', urn: 'urn:acme:marketing', title: 'acme.marketing', owners: ['group:team@acme.com'], file: 'specs/marketing.yaml', topics: [], consumes: [PLACED] },
        {
          id: 'acme.orders',
          urn: 'urn:acme:orders',
          title: 'Orders',
          owners: ['group:orders@acme.com'],
          file: 'specs/orders.yaml',
          topics: [
            { name: PAYMENT, visibility: 'protected', grants: ['acme.billing'], consumers: ['acme.billing'], schemas: { value: { subject: `${PAYMENT}-value`, type: 'AVRO' } } },
            { name: PLACED, visibility: 'public', grants: [], consumers: ['acme.billing', 'acme.marketing'], schemas: { value: { subject: `${PLACED}-value`, type: 'JSON' } } },
          ],
          consumes: [],
        },
      ],
    });
  });

  it('the catalog writes the same index beside its pages', () => {
    const site = path.join(mesh.dir, 'site');
    const run = cli(mesh.dir, 'catalog', 'specs', '--out', site);
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(site, 'mesh.json'), 'utf8')).toBe(fs.readFileSync(indexFile, 'utf8'));
  });

  it('removing a topic others read is breaking and names them; without the index it is not known', () => {
    product.write({ 'specs/orders.yaml': orders({ placed: false }) });
    const without = cli(product.dir, 'breaking', 'specs', '--against', 'main');
    expect(without.status).toBe(0);
    expect(without.stdout).toContain(`compatible MF-CHANGE-TOPIC-REMOVED: topic ${PLACED} (declared at main:specs/orders.yaml:7) removed; no product in the mesh receives from it under the old name; it was public: readers outside the mesh may exist`);

    const withIndex = cli(product.dir, 'breaking', 'specs', '--against', 'main', '--mesh', indexFile);
    expect(withIndex.stderr).toBe('');
    expect(withIndex.status).toBe(1);
    expect(withIndex.stdout).toBe(
      `specs/orders.yaml:1:1: breaking MF-BREAK-TOPIC-REMOVED: topic ${PLACED} (declared at main:specs/orders.yaml:7) removed while acme.billing (from the mesh index), acme.marketing (from the mesh index) still receive from it\n` +
        `1 breaking change(s), 0 compatible change(s) against main (with 2 product(s) of other repositories from ${indexFile})\n`,
    );
  });

  it('removing the grant a product of another repository reads with is breaking', () => {
    product.write({ 'specs/orders.yaml': orders({ grantBilling: false }) });
    const run = cli(product.dir, 'breaking', 'specs', '--against', 'main', '--mesh', indexFile, '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { mesh: string; outsideProducts: number; findings: Array<{ code: string; breaking: boolean; message: string }> };
    expect(report).toMatchObject({ mesh: indexFile, outsideProducts: 2 });
    expect(report.findings.map((f) => [f.code, f.breaking, f.message])).toEqual([
      ['MF-BREAK-GRANT-REMOVED', true, `grant to acme.billing on ${PAYMENT} removed while acme.billing (from the mesh index) receives from it`],
    ]);
  });

  it('reads the index from a URL, and says plainly when it is not one', async () => {
    product.write({ 'specs/orders.yaml': orders({ placed: false }) });
    const server = http.createServer((req, res) => {
      if (req.url === '/mesh.json') res.end(fs.readFileSync(indexFile));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = require('node:child_process').spawn(process.execPath, [BIN, 'breaking', 'specs', '--against', 'main', '--mesh', `http://127.0.0.1:${port}/mesh.json`], { cwd: product.dir });
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.on('close', (status: number | null) => resolve({ status, stdout }));
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('still receive from it');
      const missing = cli(product.dir, 'breaking', 'specs', '--against', 'main', '--mesh', path.join(mesh.dir, 'specs', 'orders.yaml'));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('is not JSON');
    } finally {
      server.close();
    }
  });
});
