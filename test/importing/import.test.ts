/**
 * `meshform import`: each tool's files (written by hand in its documented format) become the specs
 * written by hand in `expected/` (compared as YAML values), the unmapped list and exit codes, an
 * estate of two tools in one folder, input errors at file:line:col with nothing written.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadMesh } from '../../src/model';
import { runCli } from '../cli/support';
import { withEnv } from '../support/env';

const FIXTURES = join(__dirname, '..', 'fixtures', 'import');
let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshform-import-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

function expectFolder(out: string, expected: string, only = true): void {
  const want = readdirSync(expected).sort();
  if (only) expect(readdirSync(out).sort()).toEqual(want);
  for (const file of want) expect([file, parse(readFileSync(join(out, file), 'utf8'))]).toEqual([file, parse(readFileSync(join(expected, file), 'utf8'))]);
}

async function expectValid(out: string): Promise<void> {
  const loaded = await loadMesh([out]);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
}

describe('meshform import', () => {
  it('kafka-gitops: services become products, topics adopted by their producer, readers granted; everything mapped: exit 0', async () => {
    cpSync(join(FIXTURES, 'kafka-gitops', 'state.yaml'), 'state.yaml');
    const run = await runCli('import', 'kafka-gitops', 'state.yaml', '--out', 'mesh');
    expect(run.stderr).toContain('meshform import kafka-gitops: 3 product(s), 2 adopted topic(s); wrote 3 new spec(s), meshform.yaml owners in mesh; everything mapped');
    expect(run.stderr).not.toContain('MF-IMPORT-UNMAPPED');
    expect(run.code).toBe(0);
    expectFolder('mesh', join(FIXTURES, 'kafka-gitops', 'expected'));
    await expectValid('mesh');
  });

  it("kafka-gitops with meshform's names: the topics' writer is adopted by the product the names give, so its access is declared in the convention's form", async () => {
    cpSync(join(FIXTURES, 'kafka-gitops', 'convention.yaml'), 'convention.yaml');
    const run = await runCli('import', 'kafka-gitops', 'convention.yaml', '--out', 'mesh');
    expect([run.code, run.stderr]).toEqual([0, expect.stringContaining('meshform import kafka-gitops: 2 product(s), 0 adopted topic(s); wrote 2 new spec(s), meshform.yaml owners in mesh; everything mapped')]);
    // By hand from the file: billing-svc writes both acme.billing topics, so it is acme.billing's (not a product
    // "estate.billing" of its own whose WRITE no spec would declare); fraud reads invoices with a grant.
    expect(readdirSync('mesh').sort()).toEqual(['acme.billing.yaml', 'estate.fraud-check.yaml', 'meshform.yaml']);
    const billing = parse(readFileSync(join('mesh', 'acme.billing.yaml'), 'utf8'));
    expect(billing['x-meshform'].adopt).toEqual({ principals: ['User:billing-svc'], groups: ['billing-app'] });
    expect(Object.values(billing.channels as Record<string, { address: string; tags?: Array<{ name: string }> }>).map((c) => [c.address, (c.tags ?? []).map((t) => t.name)])).toEqual([
      ['_protected.invoices', ['grant-access:urn:estate:fraud-check']],
      ['_protected.refunds', []],
    ]);
    expect(Object.values(billing.operations as Record<string, { action: string; channel: { $ref: string } }>).map((o) => `${o.action} ${o.channel.$ref}`).sort()).toEqual([
      'receive #/channels/_protected_invoices',
      'send #/channels/_protected_invoices',
      'send #/channels/_protected_refunds',
    ]);
    await expectValid('mesh');
  });

  it('julieops: names from context, components and project; the idempotent-write cluster ACL is listed at its producer: exit 1', async () => {
    cpSync(join(FIXTURES, 'julieops', 'topology.yaml'), 'topology.yaml');
    const run = await runCli('import', 'julieops', 'topology.yaml', '--out', 'mesh');
    expect(run.stderr.split('\n').filter((l) => l.includes('MF-IMPORT-UNMAPPED'))).toEqual([
      expect.stringMatching(/^topology\.yaml:9:9: warning MF-IMPORT-UNMAPPED: ALLOW User:orders-svc IDEMPOTENT_WRITE CLUSTER:LITERAL:kafka-cluster: cluster rights are not a product's/),
    ]);
    expect(run.code).toBe(1);
    expectFolder('mesh', join(FIXTURES, 'julieops', 'expected'));
    await expectValid('mesh');
  });

  it('terraform: a state file of the Kafka provider; the quota is listed; --json says what was written', async () => {
    cpSync(join(FIXTURES, 'terraform', 'terraform.tfstate'), 'terraform.tfstate');
    const run = await runCli('import', 'terraform', 'terraform.tfstate', '--out', 'mesh', '--json');
    expect(run.code).toBe(1);
    expectFolder('mesh', join(FIXTURES, 'terraform', 'expected'));
    const json = JSON.parse(run.stdout);
    expect(json.files.map((f: { file: string; created: boolean }) => [f.file, f.created])).toEqual([
      ['mesh/estate.inventory-svc.yaml', true],
      ['mesh/estate.orders-svc.yaml', true],
      ['mesh/meshform.yaml', true],
    ]);
    expect(json.products.map((p: { id: string; consumes: string[]; groups: string[] }) => [p.id, p.consumes, p.groups])).toEqual([
      ['estate.inventory-svc', [], []],
      ['estate.orders-svc', ['inventory-levels'], ['orders-inventory-reader']],
    ]);
    expect(json.unmapped).toEqual([{ what: 'kafka_quota.inventory (quota of user inventory-svc)', why: expect.stringContaining('quotas'), at: 'terraform.tfstate:93:9' }]);
    await expectValid('mesh');
  });

  it('two tools, one folder: the principal JulieOps made a product is that product in the Terraform import; the spec is added to, its comments kept', async () => {
    cpSync(join(FIXTURES, 'julieops', 'topology.yaml'), 'topology.yaml');
    cpSync(join(FIXTURES, 'terraform', 'terraform.tfstate'), 'terraform.tfstate');
    expect((await runCli('import', 'julieops', 'topology.yaml', '--out', 'mesh')).code).toBe(1);
    const spec = join('mesh', 'acme.orders.yaml');
    writeFileSync(spec, `# the orders team's notes\n${readFileSync(spec, 'utf8')}`);
    const run = await runCli('import', 'terraform', 'terraform.tfstate', '--out', 'mesh');
    expect(run.stderr).toContain('wrote 1 new spec(s), added to 1 in mesh');
    expect(run.code).toBe(1);
    expect(readFileSync(spec, 'utf8').startsWith("# the orders team's notes\n")).toBe(true);
    expectFolder('mesh', join(FIXTURES, 'multi-tool', 'expected'), false);
    expect(existsSync(join('mesh', 'estate.orders-svc.yaml'))).toBe(false);
    // meshform.yaml already covers acme and estate: unchanged.
    expect(parse(readFileSync(join('mesh', 'meshform.yaml'), 'utf8'))).toEqual(parse(readFileSync(join(FIXTURES, 'julieops', 'expected', 'meshform.yaml'), 'utf8')));
    await expectValid('mesh');
  });

  it('an input not in the format: MF-IMPORT-FORMAT at its line and column, nothing written (exit 1); a missing file is a usage error (exit 2)', async () => {
    writeFileSync('state.yaml', 'topics:\n  a: {partitions: 1}\nservice:\n  x: {}\n');
    const run = await runCli('import', 'kafka-gitops', 'state.yaml', '--out', 'mesh');
    expect(run.stderr).toContain('state.yaml:3:1: error MF-IMPORT-FORMAT: unknown key "service" in a kafka-gitops state file');
    expect(run.code).toBe(1);
    expect(existsSync('mesh')).toBe(false);

    writeFileSync('t.yaml', 'projects: []\n');
    const julie = await runCli('import', 'julieops', 't.yaml', '--out', 'mesh');
    expect(julie.stderr).toContain('t.yaml:1:1: error MF-IMPORT-FORMAT: a JulieOps topology is a map with a context');
    expect(julie.code).toBe(1);

    const missing = await runCli('import', 'terraform', 'nope.tfstate', '--out', 'mesh');
    expect(missing.stderr).toMatch(/^meshform import terraform: cannot read nope\.tfstate/);
    expect(missing.code).toBe(2);
    expect(existsSync('mesh')).toBe(false);
  });
});

describe('meshform import --owners', () => {
  it('the owner map names products, joins two services into one, and gives the owners; each principal keeps only what it did', async () => {
    cpSync(join(FIXTURES, 'kafka-gitops', 'state.yaml'), 'state.yaml');
    writeFileSync(
      'owners.yaml',
      'domain: acme\nproducts:\n  User:fraud: acme.risk.fraud\n  acme.payments-api: acme.payments\n  acme.ledger-writer: acme.payments\nowners:\n  acme: [group:data-platform@acme.example]\n',
    );
    const run = await runCli('import', 'kafka-gitops', 'state.yaml', '--owners', 'owners.yaml', '--out', 'mesh');
    expect(run.code).toBe(0);
    expect(readdirSync('mesh').sort()).toEqual(['acme.payments.yaml', 'acme.risk.fraud.yaml', 'meshform.yaml']);
    expect(parse(readFileSync('mesh/meshform.yaml', 'utf8'))).toEqual({ owners: { acme: ['group:data-platform@acme.example'] } });
    const payments = parse(readFileSync('mesh/acme.payments.yaml', 'utf8'));
    expect(payments.info.title).toBe('acme.payments');
    expect(payments['x-meshform'].adopt).toEqual({
      topics: { 'payments.authorised': 'protected', 'payments.ledger': 'protected' },
      principals: [
        { principal: 'User:ledger-writer', sends: ['payments.ledger'], receives: ['payments.authorised'], groups: ['ledger-writer-group'] },
        { principal: 'User:payments-api', sends: ['payments.authorised'], receives: [] },
      ],
      groups: ['ledger-writer-group'],
    });
    const fraud = parse(readFileSync('mesh/acme.risk.fraud.yaml', 'utf8'));
    expect(fraud['x-meshform'].adopt).toEqual({ principals: ['User:fraud'], groups: ['fraud-check'] });
    await expectValid('mesh');
  });

  it('a bad owner map: MF-IMPORT-FORMAT at its line, nothing written', async () => {
    cpSync(join(FIXTURES, 'kafka-gitops', 'state.yaml'), 'state.yaml');
    writeFileSync('owners.yaml', 'domain: acme\nproducts:\n  User:fraud: Risk\n');
    const run = await runCli('import', 'kafka-gitops', 'state.yaml', '--owners', 'owners.yaml', '--out', 'mesh');
    expect(run.stderr).toContain('owners.yaml:3:15: error MF-IMPORT-FORMAT: products.User:fraud must be a product id');
    expect(run.code).toBe(1);
    expect(existsSync('mesh')).toBe(false);
  });
});

describe('meshform import --stack', () => {
  it("sizes are written as the spec values the stack turns into the estate's (partitionFactor 0.5, replicasCap 1)", async () => {
    cpSync(join(FIXTURES, 'kafka-gitops', 'state.yaml'), 'state.yaml');
    mkdirSync('stacks');
    writeFileSync(join('stacks', 'Pulumi.half.yaml'), 'config:\n  meshform:gcpProject: acme-half\n  meshform:partitionFactor: "0.5"\n  meshform:replicasCap: "1"\n');
    const run = await runCli('import', 'kafka-gitops', 'state.yaml', '--stack', 'half', '--out', 'mesh');
    expect(run.code).toBe(0);
    const kafka = (file: string, channel: string) => parse(readFileSync(join('mesh', file), 'utf8')).channels[channel].bindings.kafka;
    // 3 partitions: ceil(6 * 0.5) = 3; 1 partition: ceil(2 * 0.5) = 1; 1 replica is the cap: left to defaultReplicas.
    expect(kafka('estate.payments-api.yaml', 'payments_authorised')).toEqual({ partitions: 6, topicConfiguration: { 'retention.ms': 86400000 }, bindingVersion: '0.5.0' });
    expect(kafka('estate.ledger-writer.yaml', 'payments_ledger')).toEqual({ partitions: 2, topicConfiguration: { 'cleanup.policy': ['compact'] }, bindingVersion: '0.5.0' });

    // The stack plans the estate's sizes: 3 and 1 partitions, 1 replica (the kafka-gitops default replication).
    const plan = JSON.parse((await runCli('plan', 'mesh', '--stack', 'half', '--json')).stdout) as { resources: Array<{ kind: string; properties: { topic: string; partitions: number; replicas: number } }> };
    const topics = plan.resources.filter((r) => r.kind === 'kafka:Topic').map((r) => [r.properties.topic, r.properties.partitions, r.properties.replicas]);
    expect(topics.sort()).toEqual([
      ['payments.authorised', 3, 1],
      ['payments.ledger', 1, 1],
    ]);

    const unknown = await runCli('import', 'kafka-gitops', 'state.yaml', '--stack', 'nope', '--out', 'other');
    expect(unknown.code).toBe(2);
    expect(existsSync('other')).toBe(false);
  });
});

describe('meshform import cluster (test broker)', () => {
  it('the example mesh applied, then imported back from the cluster: its 11 products, no adopted name, and a plan with nothing to change even with --allow-delete', async () => {
    const { startTestBroker } = await import('@meshform/kafka-test-broker');
    const broker = await startTestBroker({ saslUsers: { admin: 'pw' }, superUsers: ['User:admin'] });
    const env = { MESHFORM_KAFKA_BOOTSTRAP: broker.bootstrap, MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: 'admin', MESHFORM_KAFKA_PASSWORD: 'pw' };
    try {
      cpSync(join(cwd, 'specs'), 'specs', { recursive: true });
      cpSync(join(cwd, 'stacks'), 'stacks', { recursive: true });
      await withEnv(env, async () => {
        expect((await runCli('kafka', 'apply', 'specs', '--stack', 'dev', '--yes')).code).toBe(0);
        const run = await runCli('import', 'cluster', '--stack', 'dev', '--out', 'live', '--json');
        expect(run.code).toBe(0);
        const json = JSON.parse(run.stdout) as { products: Array<{ id: string; principals: string[] }>; unmapped: unknown[] };
        const ids = (await loadMesh(['specs'])).mesh!.products.map((p) => p.id).sort();
        expect(ids).toHaveLength(11);
        expect(json.products.map((p) => p.id)).toEqual(ids);
        expect(json.products.filter((p) => p.principals.length > 0)).toEqual([]);
        expect(json.unmapped).toEqual([]);
        const plan = await runCli('kafka', 'plan', 'live', '--stack', 'dev', '--allow-delete', '--json');
        expect(plan.code).toBe(0);
        expect(JSON.parse(plan.stdout).summary).toEqual(expect.objectContaining({ create: 0, update: 0, delete: 0, refused: 0 }));
      });
    } finally {
      await broker.stop();
    }
  }, 60_000);
});
