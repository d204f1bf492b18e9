/**
 * The program registers GCP resources as GcpResources (src/adapters/pulumi/gcp.ts), not through
 * @pulumi/gcp's classes, to keep Outputs it never reads out of memory. The oracle is @pulumi/gcp
 * itself: for each kind, the registration request the engine receives from the program must equal
 * the one @pulumi/gcp's class sends for the same values and options (type, parent, inputs,
 * dependencies, provider, version, protect, deleteBeforeReplace, secret outputs, ...), except
 * the name, the source position and the class's aliases to pre-v5 type tokens.
 */
import * as pulumi from '@pulumi/pulumi';
import type { GcpPlanResource } from '../../src/adapters/pulumi/gcp';

type Req = { toObject(): Record<string, unknown>; getName(): string };

class Dependency extends pulumi.CustomResource {
  constructor(name: string) {
    super('test:x:Dependency', name, {});
  }
}

const requests = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...(args.type.endsWith('Account') ? { email: `${args.inputs.accountId}@p.iam.gserviceaccount.com` } : {}) } }),
      call: (args) => args.inputs,
    },
    'meshform',
    'dev',
    false,
  );
  const settings = require('@pulumi/pulumi/runtime/settings') as { getMonitor(): { registerResource: (req: Req, cb: unknown) => void } };
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    requests.set(req.getName(), req.toObject());
    register(req, callback);
  };
});

async function settle(names: string[]): Promise<void> {
  for (let i = 0; i < 200 && !names.every((n) => requests.has(n)); i++) await new Promise((r) => setTimeout(r, 10));
  expect(names.filter((n) => !requests.has(n))).toEqual([]);
}

/** The request without what legitimately differs: the name, where in the source it was made, aliases. */
function comparable(name: string): Record<string, unknown> {
  const { name: _name, sourceposition: _position, stacktrace: _trace, aliasesList: _aliases, ...rest } = requests.get(name)! as Record<string, unknown>;
  return rest;
}

const plan: GcpPlanResource[] = [
  {
    kind: 'gcp:bigquery:Dataset',
    name: 'ds',
    product: 'acme.orders',
    properties: { project: 'acme-dev', datasetId: 'acme_orders_raw', location: 'EU', labels: { layer: 'raw', 'managed-by': 'meshform' } },
  },
  {
    kind: 'gcp:serviceaccount:Account',
    name: 'sa',
    product: 'acme.orders',
    properties: { project: 'acme-dev', accountId: 'dp-acme-orders', displayName: 'acme.orders' },
  },
  {
    kind: 'gcp:bigquery:DatasetIamMember',
    name: 'dsm',
    product: 'acme.orders',
    properties: { datasetId: 'acme_orders_raw', role: 'roles/bigquery.dataEditor', member: 'serviceAccount:dp-acme-orders@acme-dev.iam.gserviceaccount.com' },
  },
  {
    kind: 'gcp:serviceaccount:IAMMember',
    name: 'sam',
    product: 'acme.orders',
    properties: { serviceAccountId: 'projects/acme-dev/serviceAccounts/dp-acme-orders@acme-dev.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountTokenCreator', member: 'user:ann@acme.example' },
  },
] as unknown as GcpPlanResource[];

describe.each([
  ['default provider', false],
  ['explicit provider from the component', true],
])('registerGcpResources / registerGcpAccess send what @pulumi/gcp\'s classes send (%s)', (_title, explicit) => {
  test('every kind: same request but for name, source position and pre-v5 aliases', async () => {
    const gcp = await import('@pulumi/gcp');
    const { registerGcpAccess, registerGcpResources } = await import('../../src/adapters/pulumi/gcp');
    const suffix = explicit ? '-p' : '';
    const providers = explicit ? [new gcp.Provider(`prov${suffix}`, { project: 'acme-dev' })] : [];
    const parent = new pulumi.ComponentResource('meshform:mesh:DataProduct', `acme.orders${suffix}`, {}, { providers });
    const other = new Dependency(`dependency${suffix}`);
    const ctx = { parent, project: 'acme-dev', protect: true };
    const named = plan.map((r) => ({ ...r, name: `${r.name}${suffix}` }));
    registerGcpResources(named, ctx);
    registerGcpAccess(named, ctx, () => [other]);

    // The same values through @pulumi/gcp's classes, written out by hand.
    const [ds, sa, dsm, sam] = plan.map((r) => r.properties as unknown as Record<string, string> & { labels: Record<string, string> });
    const opts = { parent, protect: true };
    new gcp.bigquery.Dataset(`class-ds${suffix}`, { project: ds.project, datasetId: ds.datasetId, location: ds.location, labels: ds.labels, deleteContentsOnDestroy: false }, { ...opts, deleteBeforeReplace: true });
    new gcp.serviceaccount.Account(`class-sa${suffix}`, { project: sa.project, accountId: sa.accountId, displayName: sa.displayName }, opts);
    new gcp.bigquery.DatasetIamMember(`class-dsm${suffix}`, { project: 'acme-dev', datasetId: dsm.datasetId, role: dsm.role, member: dsm.member }, { ...opts, dependsOn: [other] });
    new gcp.serviceaccount.IAMMember(`class-sam${suffix}`, { serviceAccountId: sam.serviceAccountId, role: sam.role, member: sam.member }, { ...opts, dependsOn: [other] });

    const names = ['ds', 'sa', 'dsm', 'sam'].map((n) => `${n}${suffix}`);
    await settle([...names, ...names.map((n) => `class-${n}`)]);
    for (const name of names) {
      expect([name, comparable(name)]).toEqual([name, comparable(`class-${name}`)]);
      expect(requests.get(name)!.aliasesList).toEqual([]);
    }
    // What was left out: the classes' aliases, only ever to the camel-case tokens of @pulumi/gcp < 5.
    const aliasTypes = (name: string) => (requests.get(name)!.aliasesList as { spec?: { type?: string } }[]).map((a) => a.spec?.type);
    expect(aliasTypes(`class-sa${suffix}`)).toEqual(['gcp:serviceAccount/account:Account']);
    expect(aliasTypes(`class-sam${suffix}`)).toEqual(['gcp:serviceAccount/iAMMember:IAMMember']);
    expect(aliasTypes(`class-ds${suffix}`)).toEqual([]);
    expect(aliasTypes(`class-dsm${suffix}`)).toEqual([]);
    // The requests are not trivially equal: they carry the version, inputs, protect, dependencies.
    expect(requests.get(`ds${suffix}`)).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), protect: true, deletebeforereplace: true });
    expect((requests.get(`dsm${suffix}`)!.dependenciesList as string[]).length).toBe(1);
    if (explicit) expect(requests.get(`ds${suffix}`)!.provider).toMatch(/pulumi:providers:gcp::prov-p::/);
  });
});

test('outputs the program reads: the dataset id and the account email', async () => {
  const { registerGcpResources } = await import('../../src/adapters/pulumi/gcp');
  const parent = new pulumi.ComponentResource('meshform:mesh:DataProduct', 'acme.outputs');
  const got = registerGcpResources(plan.map((r) => ({ ...r, name: `${r.name}-out` })), { parent, project: 'acme-dev', protect: false });
  expect(requests.has('dsm-out') || requests.has('sam-out')).toBe(false); // members wait for registerGcpAccess
  const value = (o: pulumi.Output<string>) => new Promise((resolve) => o.apply(resolve));
  await expect(value(got.datasets.get('acme_orders_raw')!.output('datasetId'))).resolves.toBe('acme_orders_raw');
  await expect(value(got.account!.output('email'))).resolves.toBe('dp-acme-orders@p.iam.gserviceaccount.com');
  expect(() => got.account!.output('uniqueId')).toThrow(/not a property/);
});

test('an adopted dataset and account: the same request as the classes with import and retainOnDelete', async () => {
  const gcp = await import('@pulumi/gcp');
  const { registerGcpResources } = await import('../../src/adapters/pulumi/gcp');
  const parent = new pulumi.ComponentResource('meshform:mesh:DataProduct', 'acme.adopted');
  const [ds, sa] = plan;
  // Import ids as @pulumi/gcp documents them (dataset.d.ts "Import"; the Account's registry page).
  const datasetImport = 'projects/acme-dev/datasets/acme_orders_raw';
  const accountImport = 'projects/acme-dev/serviceAccounts/dp-acme-orders@acme-dev.iam.gserviceaccount.com';
  registerGcpResources(
    [
      { ...ds, name: 'ds-adopted', import: datasetImport },
      { ...sa, name: 'sa-adopted', import: accountImport },
    ] as GcpPlanResource[],
    { parent, project: 'acme-dev', protect: false },
  );
  const d = ds.properties as unknown as Record<string, string> & { labels: Record<string, string> };
  const s = sa.properties as unknown as Record<string, string>;
  new gcp.bigquery.Dataset('class-ds-adopted', { project: d.project, datasetId: d.datasetId, location: d.location, labels: d.labels, deleteContentsOnDestroy: false }, { parent, protect: false, deleteBeforeReplace: true, import: datasetImport, retainOnDelete: true });
  new gcp.serviceaccount.Account('class-sa-adopted', { project: s.project, accountId: s.accountId, displayName: s.displayName }, { parent, protect: false, import: accountImport, retainOnDelete: true });
  await settle(['ds-adopted', 'sa-adopted', 'class-ds-adopted', 'class-sa-adopted']);
  for (const name of ['ds-adopted', 'sa-adopted']) expect([name, comparable(name)]).toEqual([name, comparable(`class-${name}`)]);
  expect(requests.get('ds-adopted')).toMatchObject({ importid: datasetImport, retainondelete: true });
  expect(requests.get('sa-adopted')).toMatchObject({ importid: accountImport, retainondelete: true });
});
