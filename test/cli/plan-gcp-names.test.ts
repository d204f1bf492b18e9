/**
 * `meshform plan` of a mesh file with GCP naming templates and adopted datasets and accounts
 * (test/fixtures/specs/valid/mesh-gcp-names), run as users run it: the compiled CLI in a folder
 * holding the specs and the example stacks. Expected lines and ids are written by hand from the
 * fixture's meshform.yaml and stacks/Pulumi.dev.yaml (project acme-data-dev, environment dev).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Plan } from '../../src/plan/types';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test/fixtures/specs/valid/mesh-gcp-names');
let work: string;

function meshform(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin', 'meshform.js'), ...args], { cwd: work, encoding: 'utf8' });
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'meshform-plan-gcp-'));
  cpSync(FIXTURE, path.join(work, 'specs'), { recursive: true });
  cpSync(path.join(ROOT, 'stacks'), path.join(work, 'stacks'), { recursive: true });
  // An environment whose name a service account id cannot hold (upper case).
  writeFileSync(path.join(work, 'stacks', 'Pulumi.qa.yaml'), 'config:\n  meshform:gcpProject: acme-data-qa\n  meshform:location: EU\n  meshform:environment: QA\n');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the text says import for what exists, and counts it in the summary', () => {
  const run = meshform('plan', '--stack', 'dev');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const lines = run.stdout.split('\n');
  // billing: raw + curated and its account; orders: raw + curated and its account.
  expect(lines).toContain('  import (they exist; the first pulumi up imports them): 4 datasets, 2 service accounts');
  expect(lines).toContain('  service account orders-legacy (import): writes the datasets; 1 owner may impersonate it');
  expect(lines).toContain('  datasets (EU) legacy_orders_landing (import), acme_retail_orders_cleaned_dev, acme_retail_orders_curated_dev (import)');
  expect(lines).toContain('  service account dp-billing-dev (import): writes the datasets; 1 owner may impersonate it');
  expect(lines).toContain('  datasets (EU) acme_finance_billing_raw_dev (import), billing_gold (import)');
  // shipping creates both: no "(import)" on its lines.
  expect(lines).toContain('  service account dp-shipping-dev: writes the datasets; 1 owner may impersonate it');
  expect(lines).toContain('  datasets (EU) acme_retail_shipping_curated_dev');
});

test('--verbose lists each import id', () => {
  const run = meshform('plan', '--stack', 'dev', '--product', 'acme.retail.orders', '--kind', 'gcp:serviceaccount:Account');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('    orders-legacy in acme-data-dev; import\n        projects/acme-data-dev/serviceAccounts/orders-legacy@acme-data-dev.iam.gserviceaccount.com');
});

test('--json carries the import id on each adopted dataset and account, none on the others', () => {
  const run = meshform('plan', '--stack', 'dev', '--json');
  expect(run.status).toBe(0);
  const plan = JSON.parse(run.stdout) as Plan;
  const gcp = plan.resources.flatMap((r) => {
    if (r.kind === 'gcp:bigquery:Dataset') return [`${r.product} dataset ${r.properties.datasetId} ${r.import ?? 'create'}`];
    if (r.kind === 'gcp:serviceaccount:Account') return [`${r.product} account ${r.properties.accountId} ${r.import ?? 'create'}`];
    return [];
  });
  const p = 'projects/acme-data-dev';
  expect(gcp.sort()).toEqual(
    [
      `acme.finance.billing account dp-billing-dev ${p}/serviceAccounts/dp-billing-dev@acme-data-dev.iam.gserviceaccount.com`,
      `acme.finance.billing dataset acme_finance_billing_raw_dev ${p}/datasets/acme_finance_billing_raw_dev`,
      `acme.finance.billing dataset billing_gold ${p}/datasets/billing_gold`,
      `acme.retail.orders account orders-legacy ${p}/serviceAccounts/orders-legacy@acme-data-dev.iam.gserviceaccount.com`,
      'acme.retail.orders dataset acme_retail_orders_cleaned_dev create',
      `acme.retail.orders dataset acme_retail_orders_curated_dev ${p}/datasets/acme_retail_orders_curated_dev`,
      `acme.retail.orders dataset legacy_orders_landing ${p}/datasets/legacy_orders_landing`,
      'acme.retail.shipping account dp-shipping-dev create',
      'acme.retail.shipping dataset acme_retail_shipping_curated_dev create',
    ].sort(),
  );
});

test('a {env} name the stack makes invalid: located at the template, naming each product, exit 1, no plan', () => {
  // validate knows no stack: the {env} names wait for one.
  expect(meshform('validate').status).toBe(0);
  const run = meshform('plan', '--stack', 'qa');
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n').filter(Boolean)).toEqual([
    'specs/meshform.yaml:8:23: error MF-GCP-NAME-INVALID: acme.finance.billing: the service account id "dp-billing-QA" (from "dp-{name}-{env}") is not a service account id: lowercase letters, digits and -, starting with a letter and ending with a letter or digit',
    'specs/meshform.yaml:8:23: error MF-GCP-NAME-INVALID: acme.retail.shipping: the service account id "dp-shipping-QA" (from "dp-{name}-{env}") is not a service account id: lowercase letters, digits and -, starting with a letter and ending with a letter or digit',
    '2 error(s), 0 warning(s)',
  ]);
});
