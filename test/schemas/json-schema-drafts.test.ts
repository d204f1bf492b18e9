/**
 * JSON Schema payloads in every draft meshform reads, and a `$schema` it does not know: a located
 * error, never a fetch and never an internal error (validate, plan and catalog alike).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMATS } from '../../src/schemas';
import { runCli } from '../cli/support';

const validate = (schema: unknown) => FORMATS.JSON.validate(schema);

describe('JSON Schema drafts', () => {
  // Each schema uses what only its draft allows; each broken one breaks only its draft's meta-schema.
  it.each([
    ['draft-04', 'http://json-schema.org/draft-04/schema#', { type: 'number', maximum: 5, exclusiveMaximum: true }, { type: 'number', exclusiveMaximum: 5 }],
    ['draft-06', 'http://json-schema.org/draft-06/schema#', { type: 'number', exclusiveMaximum: 5, examples: [1] }, { type: 'number', exclusiveMaximum: true }],
    ['draft-07', 'http://json-schema.org/draft-07/schema#', { if: { type: 'string' }, then: { minLength: 1 } }, { type: 'number', exclusiveMaximum: true }],
    ['2019-09', 'https://json-schema.org/draft/2019-09/schema', { type: 'object', dependentRequired: { a: ['b'] } }, { type: 'object', dependentRequired: { a: 'b' } }],
    ['2020-12', 'https://json-schema.org/draft/2020-12/schema', { type: 'array', prefixItems: [{ type: 'string' }] }, { type: 'array', prefixItems: { type: 'string' } }],
  ])('%s: accepted, and its meta-schema applies', (_draft, uri, good, bad) => {
    expect(validate({ $schema: uri, ...good })).toEqual([]);
    // Without the trailing "#" (or with it, for the drafts published without it): the same draft.
    const other = uri.endsWith('#') ? uri.slice(0, -1) : `${uri}#`;
    expect(validate({ $schema: other, ...good })).toEqual([]);
    const problems = validate({ $schema: uri, ...bad });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === undefined && p.message.startsWith('invalid JSON Schema'))).toBe(true);
  });

  it('an unknown $schema is MF-SCHEMA-DIALECT at the $schema key, and nothing is fetched', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/schema`;
      for (const $schema of [uri, 'https://json-schema.org/draft/2030-01/schema', 'http://json-schema.org/schema#', 'urn:not-a-draft']) {
        const problems = validate({ $schema, type: 'object' });
        expect(problems).toEqual([expect.objectContaining({ code: 'MF-SCHEMA-DIALECT', path: ['$schema'] })]);
        expect(problems[0].message).toContain(JSON.stringify($schema));
      }
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('validate, plan and catalog over payload $schema', () => {
  const spec = ($schema: string) => `asyncapi: 2.6.0
id: urn:acme:retail:orders
info: {title: Orders, version: 1.0.0}
x-meshform:
  owners: [group:orders@acme.com]
channels:
  _public.order_placed:
    subscribe:
      message:
        payload:
          $schema: "${$schema}"
          type: object
          properties: {orderId: {type: string}}
`;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshform-drafts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['validate', 'plan', 'catalog'])('%s: draft-04 is read (exit 0)', async (verb) => {
    writeFileSync(join(dir, 'orders.yaml'), spec('http://json-schema.org/draft-04/schema#'));
    const run = await runCli(verb, join(dir, 'orders.yaml'), ...(verb === 'validate' ? [] : ['--stack', 'dev']), ...(verb === 'catalog' ? ['--out', join(dir, 'site')] : []));
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining('internal error') });
    if (verb === 'catalog') expect(readdirSync(join(dir, 'site'))).toContain('index.html');
  });

  it.each(['validate', 'plan', 'catalog'])('%s: an unknown $schema is one located error (exit 1)', async (verb) => {
    writeFileSync(join(dir, 'orders.yaml'), spec('http://json-schema.org/draft-99/schema#'));
    const run = await runCli(verb, join(dir, 'orders.yaml'), ...(verb === 'validate' ? [] : ['--stack', 'dev']), ...(verb === 'catalog' ? ['--out', join(dir, 'site')] : []));
    expect(run.code).toBe(1);
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/orders\.yaml:11:20: error MF-SCHEMA-DIALECT: \$schema "http:\/\/json-schema\.org\/draft-99\/schema#" is not a JSON Schema draft/);
    expect(run.stderr).not.toContain('internal error');
  });
});
