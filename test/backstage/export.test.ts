/**
 * `meshform export backstage`: every entity valid against Backstage's own JSON Schemas (copied from
 * @backstage/catalog-model, see test/fixtures/backstage/schemas/SOURCE.md), Backstage's naming rules
 * as its docs state them, every reference resolving, and relations read off the specs by hand.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { backstageEntities, type Entity } from '../../src/adapters/backstage';
import { runExportBackstage } from '../../src/cli/export';
import { runRecorded } from '../support/io';
import { mesh, product } from '../support/mesh';

const ROOT = join(__dirname, '..', '..');
const SCHEMAS = join(ROOT, 'test', 'fixtures', 'backstage', 'schemas');

function validators(): Record<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const files = ['Entity', 'EntityEnvelope', 'EntityMeta', 'shared/common', ...readdirSync(join(SCHEMAS, 'kinds')).map((f) => `kinds/${f.replace('.schema.json', '')}`)];
  const kinds: Record<string, ValidateFunction> = {};
  for (const file of files) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, `${file}.schema.json`), 'utf8'));
    // The files name draft-07 without the trailing '#', which ajv does not know by that id; the dialect is the same.
    delete schema.$schema;
    ajv.addSchema(schema);
  }
  for (const file of readdirSync(join(SCHEMAS, 'kinds'))) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, 'kinds', file), 'utf8'));
    kinds[file.split('.')[0]] = ajv.getSchema(schema.$id)!;
  }
  return kinds;
}

/** Backstage descriptor format (backstage.io/docs/features/software-catalog/descriptor-format). */
const NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

let temp: string;
let entities: Entity[];
let written: string;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'meshform-backstage-'));
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const run = await runRecorded((io) => runExportBackstage([], { out: temp }, io));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('wrote 50 entities (5 Domain, 8 Group, 4 User, 11 System, 11 Component, 11 API)');
  } finally {
    process.chdir(cwd);
  }
  written = readFileSync(join(temp, 'catalog-info.yaml'), 'utf8');
  entities = parseAllDocuments(written).map((d) => d.toJS() as Entity);
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('Backstage entities of the example mesh', () => {
  it('validate against the kind schemas of @backstage/catalog-model', () => {
    const kinds = validators();
    for (const entity of entities) {
      const validate = kinds[entity.kind];
      expect(validate).toBeDefined();
      const ok = validate(entity);
      expect([entity.kind, entity.metadata.name, ok ? 'valid' : validate.errors]).toEqual([entity.kind, entity.metadata.name, 'valid']);
    }
  });

  it('follow Backstage’s name and tag rules, and are unique per kind', () => {
    const keys = entities.map((e) => `${e.kind}:${e.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of entities) {
      expect(e.metadata.name.length).toBeLessThanOrEqual(63);
      expect(e.metadata.name).toMatch(NAME);
      for (const tag of e.metadata.tags ?? []) expect(tag).toMatch(TAG);
    }
  });

  it('every reference names an entity in the file', () => {
    const names = new Set(entities.map((e) => `${e.kind.toLowerCase()}:${e.metadata.name}`));
    const defaultKind: Record<string, string> = { owner: 'group', domain: 'domain', system: 'system', providesApis: 'api', consumesApis: 'api' };
    for (const e of entities) {
      for (const [field, kind] of Object.entries(defaultKind)) {
        const value = e.spec[field] as string | string[] | undefined;
        for (const ref of value === undefined ? [] : ([] as string[]).concat(value)) {
          const full = ref.includes(':') ? ref : `${kind}:${ref}`;
          expect([e.metadata.name, field, names.has(full)]).toEqual([e.metadata.name, field, true]);
        }
      }
      for (const ref of (e.spec.dependsOn as string[] | undefined) ?? []) expect(names.has(ref)).toBe(true);
    }
  });

  it('Customer 360 consumes the APIs of orders, shipping and billing (its receive operations)', () => {
    const component = entities.find((e) => e.kind === 'Component' && e.metadata.name === 'acme.analytics.customer360')!;
    expect(component.spec).toMatchObject({
      type: 'data-product',
      lifecycle: 'production',
      owner: 'group:analytics',
      system: 'acme.analytics.customer360',
      providesApis: ['acme.analytics.customer360'],
      consumesApis: ['api:acme.finance.billing', 'api:acme.retail.orders', 'api:acme.retail.shipping'],
      dependsOn: ['component:acme.finance.billing', 'component:acme.retail.orders', 'component:acme.retail.shipping'],
    });
    const orders = entities.find((e) => e.kind === 'Component' && e.metadata.name === 'acme.retail.orders')!;
    expect(orders.spec.consumesApis).toBeUndefined();
  });

  it('systems sit in their domain, owned by a group owner before a user owner', () => {
    const system = (name: string) => entities.find((e) => e.kind === 'System' && e.metadata.name === name)!;
    // retail-orders.yaml lists user:alice first, then group:orders-team.
    expect(system('acme.retail.orders').spec).toEqual({ owner: 'group:orders-team', domain: 'acme.retail', type: 'data-product' });
    // retail-shipping.yaml has only bob@acme.com.
    expect(system('acme.retail.shipping').spec.owner).toBe('user:bob');
    expect(system('acme.retail.orders').metadata.annotations).toMatchObject({ 'meshform.io/urn': 'urn:acme:retail:orders', 'meshform.io/owners': 'user:alice@acme.com,group:orders-team@acme.com' });
  });

  it('the API carries the spec file as written', () => {
    const api = entities.find((e) => e.kind === 'API' && e.metadata.name === 'acme.analytics.customer360')!;
    expect(api.spec.type).toBe('asyncapi');
    expect(api.spec.definition).toBe(readFileSync(join(ROOT, 'specs', 'analytics-customer360.json'), 'utf8'));
  });
});

describe('meshform export backstage', () => {
  it('a product owned only by a service account gets a stand-in group that names it', () => {
    const out = backstageEntities({
      mesh: mesh(product('acme.ops.jobs', { owners: ['serviceAccount:ci@p.iam.gserviceaccount.com'] })),
      specTexts: new Map(),
    });
    const group = out.find((e) => e.kind === 'Group')!;
    expect(group.metadata).toMatchObject({ name: 'acme.ops.jobs.owners', description: 'Owners of acme.ops.jobs: serviceAccount:ci@p.iam.gserviceaccount.com' });
    expect(out.find((e) => e.kind === 'System')!.spec.owner).toBe('group:acme.ops.jobs.owners');
  });

  it('two owners with the same name at different addresses keep apart', () => {
    const out = backstageEntities({
      mesh: mesh(product('acme.a.x', { owners: ['group:data@acme.com'] }), product('acme.b.y', { owners: ['group:data@partner.org'] })),
      specTexts: new Map(),
    });
    expect(out.filter((e) => e.kind === 'Group').map((e) => e.metadata.name)).toEqual(['data-acme.com', 'data-partner.org']);
  });

  it('never overwrites a catalog-info.yaml it did not write; specs with errors write nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshform-backstage-'));
    try {
      writeFileSync(join(dir, 'catalog-info.yaml'), 'kind: Component\n');
      const run = await runRecorded((io) => runExportBackstage([join(ROOT, 'specs')], { out: dir }, io));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('exists and was not written by meshform');
      expect(readFileSync(join(dir, 'catalog-info.yaml'), 'utf8')).toBe('kind: Component\n');

      const broken = await runRecorded((io) => runExportBackstage([relative(process.cwd(), join(ROOT, 'test', 'fixtures', 'catalog', 'edge-mesh'))], { out: join(dir, 'new') }, io));
      expect(broken.code).toBe(1);
      expect(existsSync(join(dir, 'new'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rewrites its own file', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const run = await runRecorded((io) => runExportBackstage([], { out: temp }, io));
      expect(run.code).toBe(0);
      expect(readFileSync(join(temp, 'catalog-info.yaml'), 'utf8')).toBe(written);
    } finally {
      process.chdir(cwd);
    }
  });
});
