/**
 * GCP names and adoption under Pulumi's mocks (issue 20, part 5): the program registers datasets and
 * service accounts under the names the mesh file's templates give, and those the mesh file says
 * exist with the `import` resource option: the mock receives the import id, in the format
 * @pulumi/gcp documents for `gcp.bigquery.Dataset` (`projects/{{project}}/datasets/{{dataset_id}}`)
 * and `gcp.serviceaccount.Account` (`projects/{{project_id}}/serviceAccounts/{{email}}`). Every
 * expected id below is written by hand from test/fixtures/specs/valid/mesh-gcp-names/meshform.yaml
 * and stacks/Pulumi.dev.yaml (project acme-data-dev, environment dev).
 *
 * The real GCP provider is not run: it cannot be installed on this machine (no plugin download, no
 * GCP project). What the engine does with the import id is Pulumi's (docs/adopting.md, "GCP").
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pulumiConfigOf, ROOT, settle, useMocks, type Registration } from './support/harness';

type Program = typeof import('../../src/adapters/pulumi/program');

const FIXTURE = path.join(ROOT, 'test/fixtures/specs/valid/mesh-gcp-names');
const DATASET = 'gcp:bigquery/dataset:Dataset';
const ACCOUNT = 'gcp:serviceaccount/account:Account';

/** `<type> <id> [import <import id>] [retain]` per dataset and account. */
function summary(registrations: Registration[]): string[] {
  return registrations
    .filter((r) => r.type === DATASET || r.type === ACCOUNT)
    .map((r) => {
      const id = r.type === DATASET ? `dataset ${String(r.inputs.datasetId)}` : `account ${String(r.inputs.accountId)}`;
      return [id, r.importId ? `import ${r.importId}` : '', r.retainOnDelete ? 'retain' : ''].filter(Boolean).join(' ');
    })
    .sort();
}

async function run(root: string, stack: string): Promise<Registration[]> {
  const registrations = await useMocks(stack);
  const program: Program = await import('../../src/adapters/pulumi/program');
  await program.meshformProgram({ stackName: stack, config: pulumiConfigOf(stack, root), root, registerKafka: null, registerSchemas: null });
  await settle(registrations);
  return registrations;
}

describe('a mesh file with naming templates and adopted datasets and accounts (stack dev)', () => {
  let work: string;
  let registrations: Registration[];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'meshform-gcp-adopt-'));
    cpSync(FIXTURE, path.join(work, 'specs'), { recursive: true });
    cpSync(path.join(ROOT, 'stacks'), path.join(work, 'stacks'), { recursive: true });
    registrations = await run(work, 'dev');
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('names from the templates; what exists is registered with its import id and kept on delete', () => {
    const p = 'projects/acme-data-dev';
    expect(summary(registrations)).toEqual(
      [
        // billing: adopt: true (both of its layers and its account), curated named billing_gold.
        `account dp-billing-dev import ${p}/serviceAccounts/dp-billing-dev@acme-data-dev.iam.gserviceaccount.com retain`,
        `dataset acme_finance_billing_raw_dev import ${p}/datasets/acme_finance_billing_raw_dev retain`,
        `dataset billing_gold import ${p}/datasets/billing_gold retain`,
        // orders: raw adopted under another id, curated adopted under its template name, cleaned created.
        `account orders-legacy import ${p}/serviceAccounts/orders-legacy@acme-data-dev.iam.gserviceaccount.com retain`,
        `dataset legacy_orders_landing import ${p}/datasets/legacy_orders_landing retain`,
        'dataset acme_retail_orders_cleaned_dev',
        `dataset acme_retail_orders_curated_dev import ${p}/datasets/acme_retail_orders_curated_dev retain`,
        // shipping: the defaults' templates, nothing adopted.
        'account dp-shipping-dev',
        'dataset acme_retail_shipping_curated_dev',
      ].sort(),
    );
  });

  test('IAM names the adopted and templated accounts: orders writes its datasets, billing reads orders\' curated', () => {
    const members = registrations
      .filter((r) => r.type === 'gcp:bigquery/datasetIamMember:DatasetIamMember' && String(r.inputs.datasetId).includes('orders'))
      .map((r) => `${String(r.inputs.datasetId)} ${String(r.inputs.role)} ${String(r.inputs.member)}`)
      .sort();
    const orders = 'serviceAccount:orders-legacy@acme-data-dev.iam.gserviceaccount.com';
    expect(members).toEqual(
      [
        `acme_retail_orders_cleaned_dev roles/bigquery.dataEditor ${orders}`,
        `acme_retail_orders_curated_dev roles/bigquery.dataEditor ${orders}`,
        'acme_retail_orders_curated_dev roles/bigquery.dataViewer serviceAccount:dp-billing-dev@acme-data-dev.iam.gserviceaccount.com',
        `legacy_orders_landing roles/bigquery.dataEditor ${orders}`,
      ].sort(),
    );
    const impersonation = registrations.filter((r) => r.type === 'gcp:serviceaccount/iAMMember:IAMMember').map((r) => String(r.inputs.serviceAccountId)).sort();
    expect(impersonation).toEqual([
      'projects/acme-data-dev/serviceAccounts/dp-billing-dev@acme-data-dev.iam.gserviceaccount.com',
      'projects/acme-data-dev/serviceAccounts/dp-shipping-dev@acme-data-dev.iam.gserviceaccount.com',
      'projects/acme-data-dev/serviceAccounts/orders-legacy@acme-data-dev.iam.gserviceaccount.com',
    ]);
  });
});

test('a {env} name the stack makes invalid fails the update before anything is registered, at the template', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'meshform-gcp-env-'));
  try {
    cpSync(FIXTURE, path.join(work, 'specs'), { recursive: true });
    mkdirSync(path.join(work, 'stacks'));
    // Upper case: a service account id cannot hold it (dataset ids can).
    writeFileSync(path.join(work, 'stacks', 'Pulumi.qa.yaml'), 'config:\n  meshform:gcpProject: acme-data-qa\n  meshform:location: EU\n  meshform:environment: QA\n');
    const registrations = await useMocks('qa');
    const program: Program = await import('../../src/adapters/pulumi/program');
    const failed = program.meshformProgram({ stackName: 'qa', config: pulumiConfigOf('qa', work), root: work, registerKafka: null, registerSchemas: null });
    await expect(failed).rejects.toThrow('meshform: 2 error(s); no resources were changed');
    const message = await failed.catch((e: Error) => e.message);
    expect(message).toContain('specs/meshform.yaml:8:23: error MF-GCP-NAME-INVALID: acme.finance.billing: the service account id "dp-billing-QA" (from "dp-{name}-{env}")');
    expect(message).toContain('specs/meshform.yaml:8:23: error MF-GCP-NAME-INVALID: acme.retail.shipping: the service account id "dp-shipping-QA"');
    expect(registrations).toEqual([]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

describe('the example mesh (no gcp settings): today\'s default names, nothing imported', () => {
  test('acme.retail.orders under dev: mf-acme-retail-orders and acme_retail_orders_<layer>, created', async () => {
    const registrations = await run(ROOT, 'dev');
    const orders = summary(registrations).filter((line) => line.includes('retail_orders') || line.includes('retail-orders'));
    expect(orders).toEqual(['account mf-acme-retail-orders', 'dataset acme_retail_orders_cleaned', 'dataset acme_retail_orders_curated', 'dataset acme_retail_orders_raw']);
    expect(registrations.filter((r) => r.importId !== undefined || r.retainOnDelete)).toEqual([]);
  }, 60_000);
});
