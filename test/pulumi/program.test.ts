/**
 * The Pulumi program under mocks, for the example specs and each example stack: what it registers
 * is the plan `meshform plan` prints, parented to one component per product, with IAM exactly as
 * the specs say. The program module is loaded after setMocks, as Pulumi requires.
 */
import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import type { Layer, Mesh } from '../../src/vocabulary/mesh';
import { datasetId, serviceAccountEmail, serviceAccountId } from '../../src/names';
import { planMesh } from '../../src/plan';
import type { Plan } from '../../src/plan/types';
import { loadStack } from '../../src/stack/load';
import { comparable, TOKENS } from './support/expected';
import { dataProduct, EXAMPLE_PRODUCTS, gcpRegistrations, sortRegistrations, STACK_FACTS } from '../support/example-products';
import { awaitOutput, pulumiConfigOf, ROOT, settle, useMocks, type Registration } from './support/harness';

type Program = typeof import('../../src/adapters/pulumi/program');

const COMPONENT = 'meshform:mesh:DataProduct';

interface Run {
  registrations: Registration[];
  plan: Plan;
  mesh: Mesh;
  outputs: Record<string, { datasets: Record<string, string>; serviceAccountEmail?: string }>;
}

const runs = new Map<string, Promise<Run>>();

/** Each stack runs once per file; the describe blocks share the result. */
function runStack(stack: string): Promise<Run> {
  if (!runs.has(stack)) runs.set(stack, runStackOnce(stack));
  return runs.get(stack)!;
}

async function runStackOnce(stack: string): Promise<Run> {
  const registrations = await useMocks(stack);
  const program: Program = await import('../../src/adapters/pulumi/program');
  const result = await program.meshformProgram({ stackName: stack, config: pulumiConfigOf(stack), root: ROOT, registerKafka: null });
  await settle(registrations);
  const outputs: Run['outputs'] = {};
  for (const [id, p] of Object.entries(result.products)) {
    outputs[id] = { datasets: await awaitOutput(p.datasets), serviceAccountEmail: await awaitOutput(p.serviceAccountEmail) };
  }
  // What `meshform plan` computes: the stack file through loadStack, the specs through loadMesh.
  const loaded = await loadMesh([path.join(ROOT, 'specs')], { cwd: ROOT });
  const settings = loadStack(stack, { root: ROOT, env: {} });
  expect(loaded.mesh && settings.stack).toBeTruthy();
  return { registrations, plan: planMesh(loaded.mesh!, settings.stack!), mesh: loaded.mesh!, outputs };
}

const sortByName = <T extends { type: string; name: string }>(list: T[]) =>
  [...list].sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));

describe.each(['dev', 'staging', 'prod'])('stack %s', (stackName) => {
  let run: Run;
  let project: string;
  beforeAll(async () => {
    run = await runStack(stackName);
    project = loadStack(stackName, { root: ROOT, env: {} }).stack!.gcp.project;
  });

  test('registers exactly the plan\'s GCP / Crossplane resources with the plan\'s values', () => {
    const expected = run.plan.resources.filter((r) => !r.kind.startsWith('kafka:') && !r.kind.startsWith('schema:')).map((r) => comparable(r, project));
    const actual = run.registrations
      .filter((r) => r.type !== COMPONENT)
      .map(({ type, name, inputs }) => ({ type, name, inputs: withoutUndefined(inputs) }));
    expect(sortByName(actual)).toEqual(sortByName(expected));
  });

  test('one meshform:mesh:DataProduct component per product, parent of every resource of that product', () => {
    const components = run.registrations.filter((r) => r.type === COMPONENT);
    expect(components.map((c) => c.name).sort()).toEqual(run.plan.products.map((p) => p.id).sort());
    const byName = new Map(run.plan.resources.map((r) => [r.name, r.product]));
    for (const r of run.registrations.filter((x) => x.type !== COMPONENT)) {
      const parent = components.find((c) => c.urn === r.parent);
      expect([r.name, parent?.name]).toEqual([r.name, byName.get(r.name)]);
    }
  });

  test('in a protected stack every resource is protected (data, accounts, access); in others none', () => {
    const protect = loadStack(stackName, { root: ROOT, env: {} }).stack!.protect;
    expect(protect).toBe(stackName === 'prod');
    for (const r of run.registrations) {
      expect([r.type, r.name, r.protect]).toEqual([r.type, r.name, r.type !== COMPONENT && protect]);
    }
  });

  test('datasets are replaced delete-first (a new location keeps the id, which cannot exist twice); nothing else is', () => {
    for (const r of run.registrations) {
      expect([r.type, r.name, r.deleteBeforeReplace]).toEqual([r.type, r.name, r.type === TOKENS['gcp:bigquery:Dataset']]);
    }
  });

  test('outputs give each product\'s dataset ids and service account email', () => {
    expect(Object.keys(run.outputs).sort()).toEqual(run.mesh.products.map((p) => p.id).sort());
    for (const p of run.mesh.products) {
      expect(Object.keys(run.outputs[p.id].datasets).sort()).toEqual([...p.storage.bigquery.layers].sort());
      expect(run.outputs[p.id].serviceAccountEmail).toBe(serviceAccountEmail(p.id, project));
    }
  });
});

describe.each(['dev', 'staging', 'prod'] as const)('three example products, expected values written by hand (stack %s)', (stackName) => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack(stackName);
  });

  /** What the program registered under the product's component: type, name and inputs. */
  const registeredFor = (product: string) => {
    const component = run.registrations.find((r) => r.type === COMPONENT && r.name === product);
    expect(component).toBeDefined();
    return sortRegistrations(run.registrations.filter((r) => r.parent === component!.urn).map(({ type, name, inputs }) => ({ type, name, inputs: withoutUndefined(inputs) })));
  };

  test.each(EXAMPLE_PRODUCTS)('%s', (product) => {
    const stack = STACK_FACTS[stackName];
    const expected =
      stackName === 'staging'
        ? [{ type: 'kubernetes:meshifi.io/v1alpha1:DataProduct', name: `${product}/dataproduct`, inputs: dataProduct(product, stack) }]
        : gcpRegistrations(product, stack);
    expect(registeredFor(product)).toEqual(expected);
  });
});

describe('IAM invariants in GCP mode, per product (derived from the specs, not from the plan)', () => {
  let run: Run;
  let project: string;
  beforeAll(async () => {
    run = await runStack('prod');
    project = loadStack('prod', { root: ROOT, env: {} }).stack!.gcp.project;
  });

  const of = (type: string) => run.registrations.filter((r) => r.type === TOKENS[type]).map((r) => r.inputs as Record<string, string>);

  test('owners -> tokenCreator on the product account; account -> dataEditor on each own dataset; grants -> dataViewer on curated; nothing else', () => {
    const publicReaders = loadStack('prod', { root: ROOT, env: {} }).stack!.gcp.publicReaders;
    const expected: string[] = [];
    const ids = new Set(run.mesh.products.map((p) => p.id));
    for (const p of run.mesh.products) {
      const account = serviceAccountEmail(p.id, project);
      for (const owner of new Set(p.owners)) {
        expected.push(`sa projects/${project}/serviceAccounts/${account} roles/iam.serviceAccountTokenCreator ${owner}`);
      }
      for (const layer of p.storage.bigquery.layers) {
        expected.push(`ds ${datasetOf(p.id, layer)} roles/bigquery.dataEditor serviceAccount:${account}`);
      }
      if (p.storage.bigquery.layers.includes('curated')) {
        const readers = new Set<string>();
        for (const t of p.topics.filter((x) => x.visibility === 'protected')) {
          for (const g of t.grants.filter((x) => ids.has(x.grantee) && x.grantee !== p.id)) {
            readers.add(`serviceAccount:${serviceAccountEmail(g.grantee, project)}`);
          }
        }
        if (publicReaders && p.topics.some((t) => t.visibility === 'public')) readers.add(publicReaders);
        for (const reader of readers) expected.push(`ds ${datasetOf(p.id, 'curated')} roles/bigquery.dataViewer ${reader}`);
      }
    }
    const actual = [
      ...of('gcp:serviceaccount:IAMMember').map((i) => `sa ${i.serviceAccountId} ${i.role} ${i.member}`),
      ...of('gcp:bigquery:DatasetIamMember').map((i) => `ds ${i.datasetId} ${i.role} ${i.member}`),
    ];
    expect(actual.sort()).toEqual(expected.sort());
    // The examples exercise every rule: a grant, public readers and several owners.
    expect(actual.filter((a) => a.includes('dataViewer serviceAccount:')).length).toBeGreaterThan(0);
    expect(actual.filter((a) => a.includes(`dataViewer ${publicReaders}`)).length).toBeGreaterThan(0);
  });

  test('never allUsers / allAuthenticatedUsers, no project-level IAM, one account per product', () => {
    const members = run.registrations.map((r) => String(r.inputs.member ?? ''));
    expect(members.filter((m) => /allUsers|allAuthenticatedUsers/.test(m))).toEqual([]);
    expect(run.registrations.filter((r) => /projectIam|organizations|folder/i.test(r.type))).toEqual([]);
    expect(of('gcp:serviceaccount:Account').map((a) => a.accountId).sort()).toEqual(
      run.mesh.products.map((p) => serviceAccountId(p.id)).sort(),
    );
  });

  test('IAM members wait for the datasets and accounts they name, across products', () => {
    const urnOf = new Map<string, string>();
    for (const r of run.registrations) {
      if (r.type === TOKENS['gcp:bigquery:Dataset']) urnOf.set(`dataset:${r.inputs.datasetId}`, r.urn);
      if (r.type === TOKENS['gcp:serviceaccount:Account']) urnOf.set(`account:${r.inputs.accountId}@${project}.iam.gserviceaccount.com`, r.urn);
    }
    const iam = run.registrations.filter((r) => r.type === TOKENS['gcp:bigquery:DatasetIamMember']);
    expect(iam.length).toBeGreaterThan(0);
    for (const r of iam) {
      const needs = [urnOf.get(`dataset:${r.inputs.datasetId}`)];
      const member = String(r.inputs.member);
      if (member.startsWith('serviceAccount:')) needs.push(urnOf.get(`account:${member.slice('serviceAccount:'.length)}`));
      for (const urn of needs) expect([r.name, r.dependencies.includes(urn!)]).toEqual([r.name, true]);
    }
  });
});

describe('Crossplane mode (staging)', () => {
  test('one DataProduct object per product in the stack namespace, no GCP resources', async () => {
    const run = await runStack('staging');
    const objects = run.registrations.filter((r) => r.type === TOKENS['crossplane:DataProduct']);
    expect(objects).toHaveLength(run.mesh.products.length);
    for (const o of objects) {
      expect((o.inputs.metadata as { namespace: string }).namespace).toBe('data-products');
      expect(o.inputs.apiVersion).toBe('meshifi.io/v1alpha1');
    }
    expect(run.registrations.filter((r) => r.type.startsWith('gcp:'))).toEqual([]);
  });
});

describe('Crossplane by GitOps (staging with meshform:crossplane: gitops)', () => {
  /** The staging stack's program with its config as given, Kafka registered as `pulumi up` registers it. */
  async function programWith(config: Record<string, string>) {
    const registrations = await useMocks('staging');
    const program: Program = await import('../../src/adapters/pulumi/program');
    const result = await program.meshformProgram({ stackName: 'staging', config, root: ROOT });
    await settle(registrations);
    const outputs: Run['outputs'] = {};
    for (const [id, p] of Object.entries(result.products)) outputs[id] = { datasets: await awaitOutput(p.datasets), serviceAccountEmail: await awaitOutput(p.serviceAccountEmail) };
    return { registrations, outputs };
  }
  const kafkaOf = (rs: Registration[]) => sortByName(rs.filter((r) => r.type === 'pulumi-nodejs:dynamic/meshform:KafkaProduct')).map((r) => ({ name: r.name, parent: r.parent, inputs: r.inputs }));

  test('no kubernetes resource (nor provider); the Kafka resources and the component outputs are those of meshform:crossplane: true', async () => {
    const viaPulumi = await programWith(pulumiConfigOf('staging'));
    const config = { ...pulumiConfigOf('staging'), 'meshform:crossplane': 'gitops', 'pulumi:disable-default-providers': '["kubernetes"]' };
    const gitops = await programWith(config);
    const products = viaPulumi.registrations.filter((r) => r.type === TOKENS['crossplane:DataProduct']).length;
    expect(products).toBeGreaterThanOrEqual(EXAMPLE_PRODUCTS.length);
    expect(gitops.registrations.filter((r) => r.type.startsWith('kubernetes:') || r.type === 'pulumi:providers:kubernetes')).toEqual([]);
    expect(gitops.registrations.filter((r) => r.type.startsWith('gcp:'))).toEqual([]);
    // One component per product, each with its Kafka resource, exactly as with the objects through Pulumi.
    expect(gitops.registrations.filter((r) => r.type === COMPONENT)).toHaveLength(products);
    expect(kafkaOf(gitops.registrations)).toHaveLength(products);
    expect(kafkaOf(gitops.registrations)).toEqual(kafkaOf(viaPulumi.registrations));
    // The dataset ids and account emails the stack outputs name are the DataProducts' (what Crossplane creates from them).
    expect(gitops.outputs).toEqual(viaPulumi.outputs);
    // By hand: `mf-` + the id with dots as dashes, in the stack's project (docs/crossplane.md).
    expect(gitops.outputs['acme.retail.orders'].serviceAccountEmail).toBe('mf-acme-retail-orders@acme-data-staging.iam.gserviceaccount.com');
  });
});

function datasetOf(productId: string, layer: Layer): string {
  return datasetId(productId, layer);
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

describe('explicit providers', () => {
  async function registrationsWith(config: Record<string, string>, options: Partial<Parameters<Program['meshformProgram']>[0]> = {}) {
    const registrations = await useMocks('dev');
    const program: Program = await import('../../src/adapters/pulumi/program');
    await program.meshformProgram({ stackName: 'dev', config, root: ROOT, registerKafka: null, ...options });
    await settle(registrations);
    return registrations;
  }
  const gcpResources = (rs: Registration[]) => rs.filter((r) => r.type.startsWith('gcp:'));

  test('with default providers allowed, GCP resources use the default provider and none is made', async () => {
    const rs = await registrationsWith(pulumiConfigOf('dev'));
    expect(rs.filter((r) => r.type.startsWith('pulumi:providers:'))).toEqual([]);
    expect(gcpResources(rs).every((r) => r.provider === '')).toBe(true);
  });

  test('under pulumi:disable-default-providers the program makes its GCP provider from the stack (project, gcp:* keys)', async () => {
    const config = { ...pulumiConfigOf('dev'), 'pulumi:disable-default-providers': '["*"]', 'gcp:impersonateServiceAccount': 'deployer@acme-data-dev.iam.gserviceaccount.com' };
    const rs = await registrationsWith(config);
    const providers = rs.filter((r) => r.type === 'pulumi:providers:gcp');
    expect(providers.map((p) => p.name)).toEqual(['meshform-gcp']);
    expect(providers[0].inputs).toMatchObject({ project: 'acme-data-dev', impersonateServiceAccount: 'deployer@acme-data-dev.iam.gserviceaccount.com' });
    expect(gcpResources(rs).length).toBeGreaterThan(0);
    expect(gcpResources(rs).filter((r) => !r.provider.startsWith(`${providers[0].urn}::`))).toEqual([]);
  });

  test("no resource carries a source position or stack trace (frames inside meshform's package are state, not help)", async () => {
    const registrations = await useMocks('dev');
    // Control: a component a user's program constructs (a class of its own, called from its code)
    // keeps its position, so the harness does see positions.
    const pulumi = await import('@pulumi/pulumi');
    class Control extends pulumi.ComponentResource {
      constructor() {
        super('acme:test:Control', 'control', {});
      }
    }
    const construct = () => new Control();
    const userCode = () => construct();
    userCode();
    const program: Program = await import('../../src/adapters/pulumi/program');
    await program.meshformProgram({ stackName: 'dev', config: pulumiConfigOf('dev'), root: ROOT, registerKafka: null });
    await settle(registrations);
    const control = registrations.find((r) => r.name === 'control')!;
    expect(control.sourcePosition).toContain('program.test.ts:');
    expect(control.stackFrames).toBeGreaterThan(0);
    const meshform = registrations.filter((r) => r.name !== 'control');
    expect(meshform.length).toBeGreaterThan(20);
    expect(meshform.filter((r) => r.sourcePosition || r.stackFrames).map((r) => `${r.type} ${r.name}: ${r.sourcePosition}`)).toEqual([]);
  });

  test('a provider passed in is used for every GCP resource, and no other is made', async () => {
    const registrations = await useMocks('dev');
    const gcp = await import('@pulumi/gcp');
    const mine = new gcp.Provider('platform-gcp', { project: 'acme-data-dev' });
    const program: Program = await import('../../src/adapters/pulumi/program');
    await program.meshformProgram({ stackName: 'dev', config: pulumiConfigOf('dev'), root: ROOT, registerKafka: null, providers: { gcp: mine } });
    await settle(registrations);
    const urn = await awaitOutput(mine.urn);
    expect(registrations.filter((r) => r.type.startsWith('pulumi:providers:')).map((r) => r.name)).toEqual(['platform-gcp']);
    expect(gcpResources(registrations).filter((r) => !r.provider.startsWith(`${urn}::`))).toEqual([]);
  });
});
