/**
 * The Crossplane package (crossplane/*.yaml) against what meshform emits: rendered DataProducts
 * validate against the XRD schema, the Composition reads only fields the schema defines, and the
 * composed resources are exactly GCP mode's resources, each with the fields its kind requires.
 */
import { planGcp } from '../../src/plan/gcp';
import { planDataProduct, ROLE_DATA_EDITOR, ROLE_DATA_VIEWER, ROLE_TOKEN_CREATOR } from '../../src/plan/crossplane';
import type { CrossplaneDataProduct } from '../../src/plan/types';
import { checkFieldPaths, parseTemplate, type JsonSchema } from './support/go-template';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';
import {
  compileXrSchema,
  compose,
  composition,
  configuration,
  fieldPathSegments,
  prunedFields,
  xrd,
  xrSchema,
  type ComposedResource,
} from './support/package';
import { sampleMesh } from './support/sample-mesh';

const validate = compileXrSchema();

function dataProducts(): CrossplaneDataProduct[] {
  const m = sampleMesh();
  const s = stack({ gcp: { publicReaders: 'domain:acme.com' }, protect: true });
  return m.products.map((p) => planDataProduct(p, m, s));
}

function asXr(dp: CrossplaneDataProduct): Record<string, unknown> {
  return structuredClone(dp.properties) as unknown as Record<string, unknown>;
}

describe('package metadata', () => {
  test('the XRD is a namespaced v2 definition of meshifi.io/v1alpha1 DataProduct', () => {
    expect(xrd.apiVersion).toBe('apiextensions.crossplane.io/v2');
    expect(xrd.spec.scope).toBe('Namespaced');
    expect(xrd.spec.group).toBe('meshifi.io');
    expect(xrd.spec.names.kind).toBe('DataProduct');
    expect(xrd.spec.versions.map((v) => [v.name, v.served, v.referenceable])).toEqual([['v1alpha1', true, true]]);
  });

  test('the Composition is a pipeline for the XRD type whose functions are all package dependencies', () => {
    expect(composition.apiVersion).toBe('apiextensions.crossplane.io/v1');
    expect(composition.spec.mode).toBe('Pipeline');
    expect(composition.spec.compositeTypeRef).toEqual({ apiVersion: 'meshifi.io/v1alpha1', kind: 'DataProduct' });
    // Crossplane names a dependency's Function object <org>-<name> from its package path.
    const functions = configuration.spec.dependsOn
      .filter((d) => d.function)
      .map((d) => d.function.split('/').slice(-2).join('-'));
    for (const step of composition.spec.pipeline) expect(functions).toContain(step.functionRef.name);
    const providers = configuration.spec.dependsOn.filter((d) => d.provider).map((d) => d.provider);
    expect(providers).toEqual([
      'xpkg.upbound.io/upbound/provider-gcp-bigquery',
      'xpkg.upbound.io/upbound/provider-gcp-cloudplatform',
    ]);
    for (const d of configuration.spec.dependsOn) expect(d.version).toMatch(/^>=v\d+\.\d+\.\d+$/);
  });
});

describe('rendered DataProducts against the XRD schema', () => {
  test.each(dataProducts().map((dp) => [dp.product, dp]))('%s validates and loses no field to pruning', (_id, dp) => {
    const ok = validate(dp.properties);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // apiVersion, kind and metadata are the API server's; everything in spec must be the XRD's.
    expect(prunedFields(dp.properties.spec, xrSchema().properties!.spec)).toEqual([]);
    expect(dp.properties.apiVersion).toBe('meshifi.io/v1alpha1');
    expect(dp.properties.kind).toBe('DataProduct');
    expect(dp.properties.metadata.namespace).toBe('data-products');
  });

  test('the schema rejects what meshform never emits', () => {
    const dp = dataProducts()[0].properties;
    const broken = (mutate: (spec: Record<string, unknown>) => void) => {
      const copy = structuredClone(dp);
      mutate(copy.spec);
      return validate(copy);
    };
    expect(broken((s) => ((s.serviceAccount as Record<string, unknown>).accountId = 'ab'))).toBe(false);
    expect(broken((s) => ((s.serviceAccount as Record<string, unknown>).accountId = '1abcdefg'))).toBe(false);
    expect(broken((s) => ((s.datasets as Record<string, unknown>[])[0].datasetId = 'a.b'))).toBe(false);
    expect(broken((s) => ((s.datasets as Record<string, unknown>[])[0].layer = 'gold'))).toBe(false);
    expect(broken((s) => (s.owners = ['allUsers']))).toBe(false);
    expect(broken((s) => (s.owners = []))).toBe(false);
    expect(broken((s) => delete s.project)).toBe(false);
    expect(broken((s) => (s.project = 'Bad_Project'))).toBe(false);
  });
});

describe('the Composition reads only what the schema defines', () => {
  const schema = xrSchema();

  test('patch-and-transform patches read existing fields and write to the composed resource', () => {
    const patches = composition.spec.pipeline.flatMap((s) => s.input?.resources ?? []).flatMap((r) => r.patches ?? []);
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      expect(patch.type).toBe('FromCompositeFieldPath');
      let node: JsonSchema | undefined = schema;
      for (const segment of fieldPathSegments(patch.fromFieldPath)) node = node?.properties?.[String(segment)];
      expect([patch.fromFieldPath, node !== undefined]).toEqual([patch.fromFieldPath, true]);
    }
  });

  test('the go template reads existing fields on every branch', () => {
    const template = composition.spec.pipeline.find((s) => s.input?.kind === 'GoTemplate')!.input!.inline!.template;
    const root: JsonSchema = { properties: { observed: { properties: { composite: { properties: { resource: schema } } } } } };
    expect(checkFieldPaths(parseTemplate(template), root)).toEqual([]);
    // The checker itself catches a misspelt field.
    expect(checkFieldPaths(parseTemplate('{{ .observed.composite.resource.spec.projet }}'), root)).toEqual([
      'observed.composite.resource.spec.projet',
    ]);
    expect(
      checkFieldPaths(parseTemplate('{{ range $d := .observed.composite.resource.spec.datasets }}{{ $d.dataset }}{{ end }}'), root),
    ).toEqual(['observed.composite.resource.spec.datasets[].dataset']);
  });
});

/** The resources a kind needs to be created by the Upbound provider (from its CRD's required fields and CEL rules). */
const REQUIRED: Record<string, string[]> = {
  'bigquery.gcp.m.upbound.io/v1beta1/Dataset': [
    'metadata.annotations[crossplane.io/external-name]',
    'spec.forProvider.project',
    'spec.forProvider.location',
  ],
  'bigquery.gcp.m.upbound.io/v1beta1/DatasetIAMMember': [
    'spec.forProvider.datasetId',
    'spec.forProvider.role',
    'spec.forProvider.member',
  ],
  'cloudplatform.gcp.m.upbound.io/v1beta1/ServiceAccount': [
    'metadata.annotations[crossplane.io/external-name]',
    'spec.forProvider.project',
  ],
  'cloudplatform.gcp.m.upbound.io/v1beta1/ServiceAccountIAMMember': [
    'spec.forProvider.serviceAccountId',
    'spec.forProvider.role',
    'spec.forProvider.member',
  ],
};

function field(resource: Record<string, unknown>, path: string): unknown {
  let v: unknown = resource;
  for (const key of fieldPathSegments(path)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function sortKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A composed resource in the plan's terms (kind and properties of src/plan/types.ts). */
function asPlanProperties(c: ComposedResource): Record<string, unknown> {
  const f = (c.resource as unknown as { spec: { forProvider: Record<string, unknown> } }).spec.forProvider;
  switch (c.resource.kind) {
    case 'Dataset':
      return { kind: 'gcp:bigquery:Dataset', ...sortKeys({ project: f.project, datasetId: externalName(c), location: f.location, labels: f.labels }) };
    case 'ServiceAccount':
      return { kind: 'gcp:serviceaccount:Account', ...sortKeys({ project: f.project, accountId: externalName(c), displayName: f.displayName }) };
    case 'DatasetIAMMember':
      return { kind: 'gcp:bigquery:DatasetIamMember', ...sortKeys({ datasetId: f.datasetId, role: f.role, member: f.member }) };
    case 'ServiceAccountIAMMember':
      return { kind: 'gcp:serviceaccount:IAMMember', ...sortKeys({ serviceAccountId: f.serviceAccountId, role: f.role, member: f.member }) };
  }
  throw new Error(`unexpected composed kind ${c.resource.kind}`);
}

const externalName = (r: ComposedResource) => field(r.resource, 'metadata.annotations[crossplane.io/external-name]');

describe('composed resources', () => {
  test.each(dataProducts().map((dp) => [dp.product, dp]))('%s: every composed resource has what its kind requires', (_id, dp) => {
    const composed = compose(asXr(dp));
    expect(composed.length).toBeGreaterThan(0);
    const names = composed.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of composed) {
      const required = REQUIRED[`${c.resource.apiVersion}/${c.resource.kind}`];
      expect([c.name, required !== undefined]).toEqual([c.name, true]);
      for (const path of required) expect([c.name, path, field(c.resource, path) ?? null]).not.toEqual([c.name, path, null]);
    }
  });

  test('the composed resources are the GCP-mode resources of the product', () => {
    const m = sampleMesh();
    const s = stack({ gcp: { publicReaders: 'domain:acme.com' } });
    const orders = planDataProduct(m.products.find((p) => p.id === 'acme.retail.orders')!, m, s);
    const composed = compose(asXr(orders));
    const summary = composed.map((c) => {
      const p = c.resource as unknown as { kind: string; spec: { forProvider: Record<string, unknown> } };
      const f = p.spec.forProvider;
      switch (p.kind) {
        case 'Dataset':
          return `Dataset ${f.project}.${externalName(c)} ${f.location} delete-contents=${f.deleteContentsOnDestroy}`;
        case 'ServiceAccount':
          return `ServiceAccount ${f.project}/${externalName(c)} "${f.displayName}"`;
        case 'DatasetIAMMember':
          return `DatasetIAMMember ${f.datasetId} ${f.role} ${f.member}`;
        default:
          return `ServiceAccountIAMMember ${f.serviceAccountId} ${f.role} ${f.member}`;
      }
    });
    const sa = 'mf-acme-retail-orders@acme-data-test.iam.gserviceaccount.com';
    expect(summary.sort()).toEqual(
      [
        'ServiceAccount acme-data-test/mf-acme-retail-orders "meshform acme.retail.orders"',
        ...['raw', 'cleaned', 'curated'].flatMap((layer) => [
          `Dataset acme-data-test.acme_retail_orders_${layer} EU delete-contents=false`,
          `DatasetIAMMember acme_retail_orders_${layer} ${ROLE_DATA_EDITOR} serviceAccount:${sa}`,
        ]),
        // The grant to shipping, and the stack's public readers (orders has a public topic); the
        // grant to a product outside the mesh has no account to give access to.
        `DatasetIAMMember acme_retail_orders_curated ${ROLE_DATA_VIEWER} domain:acme.com`,
        `DatasetIAMMember acme_retail_orders_curated ${ROLE_DATA_VIEWER} serviceAccount:mf-acme-retail-shipping@acme-data-test.iam.gserviceaccount.com`,
        ...['group:orders@acme.com', 'user:alice@acme.com'].map(
          (owner) => `ServiceAccountIAMMember projects/acme-data-test/serviceAccounts/${sa} ${ROLE_TOKEN_CREATOR} ${owner}`,
        ),
      ].sort(),
    );
  });

  test.each([
    ['sample mesh', sampleMesh()],
    ['odd ids', mesh(product('acme.a-b'), product('acme.a_b', { layers: ['curated'], topics: [topic('acme.a_b', 'public', 'x')] }), product('x'))],
  ])('%s: composing each DataProduct gives exactly the GCP-mode plan resources', (_name, m) => {
    for (const s of [stack({ gcp: { publicReaders: 'group:all@acme.com' } }), stack({ protect: true })]) {
      for (const p of m.products) {
        const composed = compose(asXr(planDataProduct(p, m, s))).map(asPlanProperties).map((x) => JSON.stringify(x));
        const planned = planGcp(p, m, s).map((r) => JSON.stringify({ kind: r.kind, ...sortKeys(r.properties) }));
        expect(composed.sort()).toEqual(planned.sort());
      }
    }
  });

  test('layers are a subset: only declared layers get datasets, viewers only on curated', () => {
    const m = sampleMesh();
    const s = stack({ gcp: { publicReaders: 'domain:acme.com' } });
    const ledger = compose(asXr(planDataProduct(m.products.find((p) => p.id === 'acme.finance.ledger')!, m, s)));
    expect(ledger.filter((c) => c.resource.kind === 'Dataset').map(externalName)).toEqual(['acme_finance_ledger_cleaned']);
    // Public topic but no curated dataset: nothing to give public readers.
    expect(ledger.filter((c) => field(c.resource, 'spec.forProvider.role') === ROLE_DATA_VIEWER)).toEqual([]);
  });

  test('protect removes Delete from the datasets\' management policies only', () => {
    const m = mesh(product('acme.retail.orders'));
    const policies = (protect: boolean) =>
      compose(asXr(planDataProduct(m.products[0], m, stack({ protect })))).map((c) => [
        c.resource.kind,
        field(c.resource, 'spec.managementPolicies') ?? 'default',
      ]);
    expect(policies(false).every(([, p]) => p === 'default')).toBe(true);
    for (const [kind, p] of policies(true)) {
      expect([kind, p]).toEqual([kind, kind === 'Dataset' ? ['Observe', 'Create', 'Update', 'LateInitialize'] : 'default']);
    }
  });

  test('composition resource names stay the same when owners are reordered', () => {
    const names = (owners: string[]) => {
      const m = mesh(product('acme.retail.orders', { owners }));
      return compose(asXr(planDataProduct(m.products[0], m, stack()))).map((c) => c.name).sort();
    };
    expect(names(['user:a@acme.com', 'user:b@acme.com'])).toEqual(names(['user:b@acme.com', 'user:a@acme.com']));
  });

  test('a grant to itself adds nothing beyond its own dataEditor', () => {
    const id = 'acme.self';
    const m = mesh(product(id, { topics: [topic(id, 'protected', 't', { grants: [id] })] }));
    const composed = compose(asXr(planDataProduct(m.products[0], m, stack())));
    expect(composed.filter((c) => field(c.resource, 'spec.forProvider.role') === ROLE_DATA_VIEWER)).toEqual([]);
  });
});
