/**
 * Specs written the SpecMesh way (test/fixtures/specmesh, no x-meshform, one meshform.yaml) read
 * unchanged, and plan what SpecMesh would provision, with meshform's leak-free ACLs. Expectations
 * are written by hand from SpecMesh's code (test/support/specmesh-expected.ts).
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadMesh, type Mesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import type { KafkaAcl, KafkaAclProps, KafkaTopic } from '../../src/plan/types';
import { filesUnder } from '../reading/corpus';
import { isAllowed } from '../plan/authorizer';
import { SPECMESH_GROUPS, SPECMESH_PRODUCTS, SPECMESH_STREAMS_PRODUCTS, SPECMESH_TOPICS, mayRead } from '../support/specmesh-expected';
import { stack } from '../support/stack';

const cwd = path.resolve(__dirname, '../..');
const MESH = path.join(cwd, 'test/fixtures/specmesh');
const specFiles = filesUnder(MESH).filter((f) => f.endsWith('-api.yaml'));

let mesh: Mesh;
let acls: KafkaAclProps[];
let topics: KafkaTopic['properties'][];

beforeAll(async () => {
  const result = await loadMesh([MESH], { cwd });
  expect(result.diagnostics).toEqual([]);
  mesh = result.mesh as Mesh;
  const plan = planMesh(mesh, stack({ kafka: { defaultReplicas: 1 } }));
  acls = plan.resources.filter((r): r is KafkaAcl => r.kind === 'kafka:Acl').map((r) => r.properties);
  topics = plan.resources.filter((r): r is KafkaTopic => r.kind === 'kafka:Topic').map((r) => r.properties);
});

describe('a SpecMesh-style mesh read with one meshform.yaml', () => {
  it('is 8+ unchanged SpecMesh specs in 3 domains, AsyncAPI 2.4 and 2.5, with Avro and JSON Schema payloads by root-relative $ref', () => {
    expect(specFiles.length).toBeGreaterThanOrEqual(8);
    const texts = specFiles.map((f) => fs.readFileSync(f, 'utf8'));
    expect(texts.filter((t) => t.includes('x-meshform'))).toEqual([]);
    expect(new Set(texts.map((t) => /asyncapi: '([\d.]+)'/.exec(t)?.[1]))).toEqual(new Set(['2.4.0', '2.5.0']));
    expect(texts.some((t) => t.includes("$ref: '/schema/") && t.includes('.avsc'))).toBe(true);
    expect(texts.some((t) => t.includes("$ref: '/schema/") && t.includes('.json'))).toBe(true);
    expect(new Set(mesh.products.map((p) => p.businessDomain.split('.').slice(0, 2).join('.')))).toEqual(new Set(['sim.grid', 'sim.ops', 'sim.billing']));
  });

  it('validates without a single diagnostic, every product read in the SpecMesh dialect with owners from the mesh file', () => {
    expect(mesh.products.map((p) => p.id)).toEqual(SPECMESH_PRODUCTS);
    for (const p of mesh.products) {
      expect(p.dialect).toBe('specmesh');
      expect(p.settingsFrom.owners).toMatch(/^test\/fixtures\/specmesh\/meshform\.yaml:\d+:\d+$/);
    }
    const owners = Object.fromEntries(mesh.products.map((p) => [p.id, p.owners]));
    expect(owners['sim.grid.meters']).toEqual(['group:grid@sim.example']);
    expect(owners['sim.ops.crews']).toEqual(['group:ops@sim.example']);
    expect(owners['sim.billing.tariffs']).toEqual(['group:data@sim.example']);
  });

  it('plans exactly the topics SpecMesh would create, with its partitions, replicas and configs', () => {
    const planned = Object.fromEntries(topics.map((t) => [t.topic, { partitions: t.partitions, replicas: t.replicas, config: t.config }]));
    const expected = Object.fromEntries(Object.entries(SPECMESH_TOPICS).map(([name, t]) => [name, { partitions: t.partitions, replicas: t.replicas, config: t.config }]));
    expect(planned).toEqual(expected);
  });

  it('lets each product read exactly what SpecMesh opens to it, and write only its own topics', () => {
    for (const topic of Object.keys(SPECMESH_TOPICS)) {
      for (const product of SPECMESH_PRODUCTS) {
        const principal = `User:${product}`;
        expect([topic, product, isAllowed(acls, principal, 'TOPIC', topic, 'READ')]).toEqual([topic, product, mayRead(product, topic)]);
        expect([topic, product, isAllowed(acls, principal, 'TOPIC', topic, 'WRITE')]).toEqual([topic, product, SPECMESH_TOPICS[topic].owner === product]);
      }
    }
  });

  it('every consumer group the specs name is the consumer\'s own, and no one else may join it', () => {
    for (const { product, group } of SPECMESH_GROUPS) {
      for (const other of SPECMESH_PRODUCTS) {
        expect([group, other, isAllowed(acls, `User:${other}`, 'GROUP', group, 'READ')]).toEqual([group, other, other === product]);
      }
    }
  });

  it('has no leaky prefix: topic prefixes end with "._x.", group and transactional-id prefixes with "." or "-"', () => {
    for (const acl of acls.filter((a) => a.patternType === 'PREFIXED')) {
      expect(acl.resourceName).toMatch(acl.resourceType === 'TOPIC' ? /\._(public|protected|private)\.$/ : /[.-]$/);
    }
    // sim.billing.payments- would reach sim.billing.payments-eu's groups: a DENY closes it.
    expect(isAllowed(acls, 'User:sim.billing.payments', 'GROUP', 'sim.billing.payments-eu.reconciler', 'READ')).toBe(false);
    expect(isAllowed(acls, 'User:sim.billing.payments', 'TRANSACTIONAL_ID', 'sim.billing.payments-eu-tx', 'WRITE')).toBe(false);
    expect(isAllowed(acls, 'User:sim.billing.payments', 'GROUP', 'sim.billing.payments-reconciler', 'READ')).toBe(true);
  });

  it('Kafka Streams products (opted in by the mesh file) may create topics under their own _private. prefix only', () => {
    for (const product of SPECMESH_PRODUCTS) {
      const streams = SPECMESH_STREAMS_PRODUCTS.includes(product);
      expect([product, isAllowed(acls, `User:${product}`, 'TOPIC', `${product}._private.app-store-changelog`, 'CREATE')]).toEqual([product, streams]);
      expect([product, isAllowed(acls, `User:${product}`, 'TOPIC', `${product}._private.app-rekey-repartition`, 'DELETE')]).toEqual([product, streams]);
      expect(isAllowed(acls, `User:${product}`, 'TOPIC', `${product}._public.app-store-changelog`, 'CREATE')).toBe(false);
      expect(isAllowed(acls, `User:${product}`, 'TOPIC', `${product}.app-store-changelog`, 'CREATE')).toBe(false);
    }
    expect(acls.filter((a) => a.resourceType === 'CLUSTER')).toEqual([]);
  });
});

describe('the same specs read as AsyncAPI (no dialect): never silent', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'meshform-specmesh-as-asyncapi-'));
    fs.cpSync(MESH, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'meshform.yaml'), 'owners:\n  sim: [group:data@sim.example]\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the dialect setting for configs, consumers\' subscribe, domain-id grants and publish on own topics', async () => {
    const result = await loadMesh([dir], { cwd: dir });
    const byCode = (code: string) => result.diagnostics.filter((d) => d.code === code);
    expect(result.mesh).toBeUndefined();
    for (const code of ['MF-KAFKA-BINDING-KEY', 'MF-SEND-NOT-OWNED', 'MF-GRANT-URN', 'MF-DIALECT-HINT']) {
      expect([code, byCode(code).length > 0]).toEqual([code, true]);
      for (const d of byCode(code)) expect(d.message).toContain('dialect: specmesh');
    }
    expect(byCode('MF-KAFKA-BINDING-KEY').some((d) => d.message.includes('"configs"') && d.message.includes('topicConfiguration'))).toBe(true);
  });
});

describe('mesh files and files that are not specs', () => {
  const valid = path.join(cwd, 'test/fixtures/specs/valid/mesh-file-precedence');

  it('x-meshform wins key by key, then the longest matching prefix, then defaults; the nearest mesh file applies, unmerged', async () => {
    const result = await loadMesh([valid], { cwd });
    expect(result.diagnostics).toEqual([]);
    const byId = Object.fromEntries((result.mesh as Mesh).products.map((p) => [p.id, p]));
    const meshFile = 'test/fixtures/specs/valid/mesh-file-precedence/meshform.yaml';
    expect(byId['acme.retail.orders']).toMatchObject({
      owners: ['group:retail@acme.example'],
      domainType: 'aggregate',
      storage: { bigquery: { layers: ['raw', 'curated'], location: 'europe-west1' } },
      kafkaStreams: true,
      settingsFrom: { owners: `${meshFile}:2:3`, domainType: `${meshFile}:7:3`, storage: 'x-meshform', kafkaStreams: `${meshFile}:5:24`, dialect: 'AsyncAPI 3.0' },
    });
    expect(byId['acme.finance.billing']).toMatchObject({ owners: ['group:data@acme.example'], domainType: 'aggregate', storage: { bigquery: { layers: ['curated'] } }, kafkaStreams: false });
    expect(byId['acme.retail.returns']).toMatchObject({
      owners: ['group:returns@acme.example'],
      domainType: 'consumer-aligned',
      storage: { bigquery: { layers: ['raw', 'cleaned', 'curated'] } },
      settingsFrom: { owners: 'x-meshform', storage: 'default' },
    });
  });

  it('a spec given as a file finds the mesh file above it, as when its folder is given', async () => {
    const file = path.join(MESH, 'grid', 'sim.grid.outages-api.yaml');
    const result = await loadMesh([file], { cwd });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.mesh?.products[0]).toMatchObject({ id: 'sim.grid.outages', dialect: 'specmesh', owners: ['group:grid@sim.example'] });
  });

  it('a YAML/JSON file that is no spec and that no spec references is one warning, whichever paths name it', async () => {
    const folder = path.join(cwd, 'test/fixtures/specs/invalid/mesh-not-a-spec');
    const result = await loadMesh([folder, path.join(folder, 'schemas')], { cwd });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.file}`)).toEqual([
      'warning MF-NOT-A-SPEC test/fixtures/specs/invalid/mesh-not-a-spec/schemas/unused.yaml',
    ]);
    expect(result.files).toEqual(['test/fixtures/specs/invalid/mesh-not-a-spec/orders.yaml']);
  });

  it('a spec that fails its own checks still counts as a product: no knock-on warnings in the specs that grant to it or read from it', async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'meshform-knock-on-'));
    try {
      fs.cpSync(MESH, dir, { recursive: true });
      const dispatch = path.join(dir, 'ops', 'sim.ops.dispatch-api.yaml');
      fs.writeFileSync(dispatch, fs.readFileSync(dispatch, 'utf8').replace("groupId: 'sim.ops.dispatch-alerts'", "groupId: 'alerts'"));
      const outages = path.join(dir, 'grid', 'sim.grid.outages-api.yaml');
      fs.writeFileSync(outages, fs.readFileSync(outages, 'utf8').replace("  crew.assignments:\n", "  crew.assignments:\n    description: 1\n"));
      const result = await loadMesh([dir], { cwd: dir });
      // A bad group in dispatch is a mesh-wide rule: dispatch stays in the mesh. The outages spec fails
      // AsyncAPI validation, yet its grant to sim.ops.dispatch and the reads of its topics raise nothing else.
      expect(result.diagnostics.map((d) => `${d.code} ${d.location?.file}`).sort()).toEqual([
        'MF-GROUP-PREFIX ops/sim.ops.dispatch-api.yaml',
        'asyncapi-document-resolved grid/sim.grid.outages-api.yaml',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
