/**
 * GCP naming templates (src/names.ts): what each placeholder gives, GCP's id rules, and the name a
 * product gets (adopted id, else template, else the default). Expected values written by hand.
 */
import { accountImportId, datasetIdProblem, datasetImportId, fillTemplate, gcpNames, serviceAccountIdProblem, templatePlaceholderProblem } from '../../src/names';

const at = { file: 'meshform.yaml', line: 1, col: 1 };
const t = (template: string) => ({ template, location: at });

describe('fillTemplate', () => {
  const values = { id: 'acme.retail-eu.order_events', domain: 'acme.retail-eu', layer: 'curated' as const, env: 'staging.eu' };
  it('dataset ids: . and - in a value become _, the template text stays', () => {
    expect(fillTemplate('{domain}__{name}_{layer}_{env}', 'dataset', values)).toBe('acme_retail_eu__order_events_curated_staging_eu');
    expect(fillTemplate('{id}', 'dataset', values)).toBe('acme_retail_eu_order_events');
  });
  it('account ids: . and _ in a value become -', () => {
    expect(fillTemplate('{name}-{env}-sa', 'serviceAccount', values)).toBe('order-events-staging-eu-sa');
    expect(fillTemplate('x-{domain}', 'serviceAccount', values)).toBe('x-acme-retail-eu');
  });
  it('{env} stays as written when no stack is known', () => {
    expect(fillTemplate('{name}_{env}', 'dataset', { id: 'a.b', domain: 'a' })).toBe('b_{env}');
  });
});

describe('templatePlaceholderProblem', () => {
  it('knows each target\'s placeholders', () => {
    expect(templatePlaceholderProblem('{id}_{domain}_{name}_{layer}_{env}', 'dataset')).toBeUndefined();
    expect(templatePlaceholderProblem('{name}-{layer}', 'serviceAccount')).toContain('{layer} is for dataset names');
    expect(templatePlaceholderProblem('{Name}', 'dataset')).toBe('has the placeholder {Name}, which is not one of {id}, {domain}, {name}, {layer}, {env}');
    expect(templatePlaceholderProblem('{name', 'dataset')).toBe('has a { or } that is not part of a placeholder such as {name}');
    expect(templatePlaceholderProblem('plain_id', 'dataset')).toBeUndefined();
  });
});

describe('GCP id rules', () => {
  it('dataset ids: letters, digits, _; 1 to 1024', () => {
    expect(datasetIdProblem('Legacy_Orders_2')).toBeUndefined();
    expect(datasetIdProblem('a'.repeat(1024))).toBeUndefined();
    expect(datasetIdProblem('a'.repeat(1025))).toBe('is 1025 characters long; a dataset id is 1 to 1024');
    expect(datasetIdProblem('orders-raw')).toContain('only letters, digits and underscores');
  });
  it('account ids: 6 to 30, [a-z]([-a-z0-9]*[a-z0-9])', () => {
    expect(serviceAccountIdProblem('orders')).toBeUndefined();
    expect(serviceAccountIdProblem('a'.repeat(30))).toBeUndefined();
    expect(serviceAccountIdProblem('a'.repeat(31))).toBe('is 31 characters long; a service account id is 6 to 30');
    expect(serviceAccountIdProblem('order')).toBe('is 5 characters long; a service account id is 6 to 30');
    for (const bad of ['1orders', 'orders-', 'Orders', 'ord_ers']) expect([bad, serviceAccountIdProblem(bad)]).toEqual([bad, expect.stringContaining('not a service account id')]);
  });
});

describe('gcpNames', () => {
  const base = { id: 'acme.retail.orders', businessDomain: 'acme.retail' };
  it('without settings: today\'s defaults, nothing adopted', () => {
    const names = gcpNames(base, 'dev');
    expect([names.datasets.raw, names.datasets.cleaned, names.datasets.curated, names.serviceAccount]).toEqual([
      { id: 'acme_retail_orders_raw', adopted: false },
      { id: 'acme_retail_orders_cleaned', adopted: false },
      { id: 'acme_retail_orders_curated', adopted: false },
      { id: 'mf-acme-retail-orders', adopted: false },
    ]);
  });
  it('an adopted id wins over the template, the template over the default', () => {
    const names = gcpNames(
      { ...base, gcp: { datasetNames: { raw: t('{name}_{layer}'), curated: t('{name}_gold') }, adopt: { datasets: { raw: { id: t('legacy_orders'), location: at }, curated: { location: at } } } } },
      'dev',
    );
    expect(names.datasets.raw).toEqual({ id: 'legacy_orders', template: t('legacy_orders'), adopted: true });
    expect(names.datasets.cleaned).toEqual({ id: 'acme_retail_orders_cleaned', adopted: false });
    expect(names.datasets.curated).toEqual({ id: 'orders_gold', template: t('{name}_gold'), adopted: true });
    expect(names.serviceAccount).toEqual({ id: 'mf-acme-retail-orders', adopted: false });
  });
  it('import ids in @pulumi/gcp\'s documented formats', () => {
    expect(datasetImportId('acme-dev', 'orders_gold')).toBe('projects/acme-dev/datasets/orders_gold');
    expect(accountImportId('acme-dev', 'orders-legacy')).toBe('projects/acme-dev/serviceAccounts/orders-legacy@acme-dev.iam.gserviceaccount.com');
  });
});
