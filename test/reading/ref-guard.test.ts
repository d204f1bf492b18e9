/**
 * The `$ref` guard runs before anything a ref names is read or fetched: a spec can never make
 * meshform contact a server or read a file outside its root, even when the target exists.
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMesh } from '../../src/model';

// The module object itself (not the import namespace) so that readFileSync can be spied on.
const nodeFs: typeof fs = require('node:fs');

const MESSAGE = 'Order:\n  payload:\n    type: object\n';

let dir: string;
let server: Server;
let hits = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(join(tmpdir(), 'meshform-ref-guard-'));
  fs.mkdirSync(join(dir, 'root'));
  fs.writeFileSync(join(dir, 'outside.yaml'), MESSAGE);
  server = createServer((_req, res) => {
    hits++;
    res.end(MESSAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function spec(ref: string): string {
  return [
    'asyncapi: 3.0.0',
    'id: urn:acme:retail:orders',
    'info: {title: Orders, version: 1.0.0}',
    'x-meshform: {owners: [user:owner@acme.com]}',
    'channels:',
    '  orderPlaced:',
    '    address: _public.order_placed',
    '    messages:',
    '      placed:',
    `        $ref: '${ref}'`,
    'operations:',
    '  placeOrder: {action: send, channel: {$ref: "#/channels/orderPlaced"}}',
    '',
  ].join('\n');
}

test.each([
  ['a remote ref to a live server', () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/order.yaml#/Order`, 'MF-REF-REMOTE'],
  ['a relative ref escaping the root to an existing file', () => '../outside.yaml#/Order', 'MF-REF-ESCAPE'],
  ['a network-path ref to a live server', () => `//127.0.0.1:${(server.address() as AddressInfo).port}/order.yaml#/Order`, 'MF-REF-REMOTE'],
  ['a file: ref to an existing file', () => `file://${join(dir, 'outside.yaml')}#/Order`, 'MF-REF-ABSOLUTE'],
  // Root-relative: the path is read under the spec root, where it does not exist.
  ['a root-relative ref spelling an existing file\'s absolute path', () => `${join(dir, 'outside.yaml')}#/Order`, 'invalid-ref'],
])('%s is an error, and its target is never fetched or read', async (_case, ref, code) => {
  const file = join(dir, 'root', 'orders.yaml');
  fs.writeFileSync(file, spec(ref()));
  const read = jest.spyOn(nodeFs, 'readFileSync');
  hits = 0;
  try {
    const result = await loadMesh([join(dir, 'root')], { cwd: dir });
    expect(result.mesh).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code, severity: 'error', location: { file: join('root', 'orders.yaml'), line: 10, col: expect.any(Number) } }),
    ]);
    expect(hits).toBe(0);
    const paths = read.mock.calls.map(([p]) => String(p));
    expect(paths).toContain(file);
    expect(paths.filter((p) => p === join(dir, 'outside.yaml'))).toEqual([]);
  } finally {
    read.mockRestore();
  }
});
