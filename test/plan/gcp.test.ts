import { LAYERS } from '../../src/vocabulary/mesh';
import { datasetId, serviceAccountEmail, serviceAccountId } from '../../src/names';
import { planMesh } from '../../src/plan';
import type { Dataset, DatasetIamMember, Plan, Resource, ServiceAccount, ServiceAccountIamMember } from '../../src/plan/types';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';
import { exampleMesh } from './example-mesh';

const PROJECT = 'acme-data-test';
const of = <K extends Resource['kind']>(plan: Plan, kind: K, productId?: string) =>
  plan.resources.filter(
    (r): r is Extract<Resource, { kind: K }> => r.kind === kind && (productId === undefined || r.product === productId),
  );
const sa = (id: string) => `serviceAccount:${serviceAccountEmail(id, PROJECT)}`;

describe('GCP resources', () => {
  const m = exampleMesh();
  const plan = planMesh(m, stack({ gcp: { publicReaders: 'domain:acme.com' } }));

  test('a dataset per declared layer, with the stack location and labels', () => {
    const datasets = of(plan, 'gcp:bigquery:Dataset', 'acme.finance.billing');
    expect(datasets.map((d: Dataset) => d.properties)).toEqual([
      {
        project: PROJECT,
        datasetId: 'acme_finance_billing_curated',
        location: 'EU',
        labels: { domain: 'acme_finance', product: 'acme_finance_billing', layer: 'curated', environment: 'test', 'managed-by': 'meshform' },
      },
      {
        project: PROJECT,
        datasetId: 'acme_finance_billing_raw',
        location: 'EU',
        labels: { domain: 'acme_finance', product: 'acme_finance_billing', layer: 'raw', environment: 'test', 'managed-by': 'meshform' },
      },
    ]);
  });

  test("a product's own location wins over the stack's", () => {
    const located = planMesh(mesh(product('acme.a', { location: 'europe-west3', layers: ['raw'] })), stack());
    expect(of(located, 'gcp:bigquery:Dataset')[0].properties.location).toBe('europe-west3');
  });

  test('one service account per product, named by the naming module', () => {
    const accounts = of(plan, 'gcp:serviceaccount:Account');
    expect(accounts.map((a: ServiceAccount) => a.properties.accountId)).toEqual(m.products.map((p) => serviceAccountId(p.id)));
    for (const account of accounts) expect(account.properties.project).toBe(PROJECT);
  });

  test('IAM invariants hold for every product, and nothing else is granted', () => {
    for (const p of m.products) {
      const email = serviceAccountEmail(p.id, PROJECT);
      // Owners -> tokenCreator on the product account, exactly.
      const tokenCreators = of(plan, 'gcp:serviceaccount:IAMMember', p.id).map((r: ServiceAccountIamMember) => r.properties);
      expect(tokenCreators).toEqual(
        [...p.owners].sort().map((member) => ({
          serviceAccountId: `projects/${PROJECT}/serviceAccounts/${email}`,
          role: 'roles/iam.serviceAccountTokenCreator',
          member,
        })),
      );
      // The account -> dataEditor on each own dataset, exactly once.
      const members = of(plan, 'gcp:bigquery:DatasetIamMember', p.id).map((r: DatasetIamMember) => r.properties);
      const editors = members.filter((r) => r.role === 'roles/bigquery.dataEditor');
      expect(editors.map((r) => r.datasetId).sort()).toEqual(p.storage.bigquery.layers.map((l) => datasetId(p.id, l)).sort());
      for (const editor of editors) expect(editor.member).toBe(`serviceAccount:${email}`);
      // Viewers only on the curated dataset.
      const viewers = members.filter((r) => r.role === 'roles/bigquery.dataViewer');
      for (const viewer of viewers) expect(viewer.datasetId).toBe(datasetId(p.id, 'curated'));
      expect(editors.length + viewers.length).toBe(members.length);
    }
    const everyMember = plan.resources.flatMap((r) => ('member' in r.properties ? [r.properties.member] : []));
    expect(everyMember.filter((member) => /^(allUsers|allAuthenticatedUsers)$/.test(member))).toEqual([]);
  });

  test('grants mirror into dataViewer on the granting product curated dataset', () => {
    const viewers = (id: string) =>
      of(plan, 'gcp:bigquery:DatasetIamMember', id)
        .filter((r) => r.properties.role === 'roles/bigquery.dataViewer')
        .map((r) => r.properties.member)
        .sort();
    // orders: a protected topic granted to billing, and a public topic.
    expect(viewers('acme.retail.orders')).toEqual([sa('acme.finance.billing'), 'domain:acme.com'].sort());
    // billing: public topic only.
    expect(viewers('acme.finance.billing')).toEqual(['domain:acme.com']);
    // acme.user: private only -> no viewer at all.
    expect(viewers('acme.user')).toEqual([]);
    // acme.userprops: public, but no curated layer -> nowhere to grant.
    expect(viewers('acme.userprops')).toEqual([]);
  });

  test('without publicReaders, public topics open no dataset', () => {
    const quiet = planMesh(m, stack());
    const viewers = of(quiet, 'gcp:bigquery:DatasetIamMember').filter((r) => r.properties.role === 'roles/bigquery.dataViewer');
    expect(viewers.map((r) => r.properties.member)).toEqual([sa('acme.finance.billing')]);
  });

  test('grants to products outside the mesh, or to itself, give no GCP access', () => {
    const lonely = planMesh(
      mesh(product('acme.a', { topics: [topic('acme.a', 'protected', 'x', { grants: ['acme.elsewhere', 'acme.a'] })] })),
      stack(),
    );
    const viewers = of(lonely, 'gcp:bigquery:DatasetIamMember').filter((r) => r.properties.role === 'roles/bigquery.dataViewer');
    expect(viewers).toEqual([]);
    // The Kafka grant to acme.elsewhere stays: it may be provisioned from another repository.
    expect(of(lonely, 'kafka:Acl').some((r) => r.properties.principal === 'User:acme.elsewhere')).toBe(true);
  });

  test('every declared layer gets a dataset, whatever the spec order', () => {
    const shuffled = planMesh(mesh(product('acme.a', { layers: ['curated', 'raw', 'cleaned'] })), stack());
    const ids = of(shuffled, 'gcp:bigquery:Dataset').map((d) => d.properties.datasetId);
    expect(new Set(ids)).toEqual(new Set(LAYERS.map((l) => datasetId('acme.a', l))));
  });
});

describe('Crossplane mode', () => {
  test('one DataProduct per product replaces every GCP resource; Kafka stays', () => {
    const m = exampleMesh();
    const plan = planMesh(m, stack({ crossplane: { enabled: true, namespace: 'data-products' } }));
    expect(plan.resources.filter((r) => r.kind.startsWith('gcp:'))).toEqual([]);
    const dataProducts = of(plan, 'crossplane:DataProduct');
    expect(dataProducts.map((d) => d.product)).toEqual(m.products.map((p) => p.id));
    for (const d of dataProducts) expect(d.properties.metadata.namespace).toBe('data-products');
    expect(of(plan, 'kafka:Topic')).toHaveLength(6);
  });
});

describe('GCP names in each stack', () => {
  test('one mesh planned for two environments: each plan has its own {env} names, the grantee\'s account too', () => {
    const at = { file: 'specs/a.yaml', line: 1, col: 1 };
    const a = { ...product('acme.a', { layers: ['curated'], topics: [topic('acme.a', 'protected', 'x', { grants: ['acme.b'] })] }) };
    const b = { ...product('acme.b'), gcp: { serviceAccountName: { template: 'dp-b-{env}', location: at } } };
    const shared = mesh(a, b);
    for (const environment of ['dev', 'prod', 'dev']) {
      const planned = planMesh(shared, stack({ environment }));
      expect(of(planned, 'gcp:serviceaccount:Account', 'acme.b').map((r) => r.properties.accountId)).toEqual([`dp-b-${environment}`]);
      const viewers = of(planned, 'gcp:bigquery:DatasetIamMember', 'acme.a').filter((m) => m.properties.role === 'roles/bigquery.dataViewer');
      expect(viewers.map((m) => m.properties.member)).toEqual([`serviceAccount:dp-b-${environment}@${PROJECT}.iam.gserviceaccount.com`]);
    }
  });
});
