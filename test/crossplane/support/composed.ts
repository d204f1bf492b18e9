/**
 * Composed resources (as `crank render` prints them) in the plan's terms, so they can be compared
 * with GCP mode's plan of the same product, and the cases the real-render suite renders.
 */
import type { ComposedResource } from '../../../src/adapters/crossplane/compose';
import type { GcpSettings, Mesh, NameTemplate } from '../../../src/vocabulary/mesh';
import { mesh, product, topic } from '../../support/mesh';
import { stack } from '../../support/stack';
import type { StackConfig } from '../../../src/stack/types';

export const EXTERNAL_NAME = 'crossplane.io/external-name';

export function forProvider(c: ComposedResource): Record<string, unknown> {
  return ((c.resource.spec ?? {}) as { forProvider?: Record<string, unknown> }).forProvider ?? {};
}

export function externalName(c: ComposedResource): string | undefined {
  return c.resource.metadata.annotations?.[EXTERNAL_NAME];
}

/** Objects with their keys sorted at every depth, so equal values print equally. */
function sortKeys(o: object): Record<string, unknown> {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? sortKeys(v) : v;
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]));
}

/**
 * `{kind, ...properties}` of the GCP plan resource a composed resource stands for. The plan's
 * DatasetIamMember has no project (Pulumi's provider supplies it): the composed one's project is
 * checked separately.
 */
export function asPlanResource(c: ComposedResource): Record<string, unknown> {
  const f = forProvider(c);
  const key = `${c.resource.apiVersion}/${c.resource.kind}`;
  switch (key) {
    case 'bigquery.gcp.m.upbound.io/v1beta1/Dataset':
      return { kind: 'gcp:bigquery:Dataset', ...sortKeys({ project: f.project, datasetId: externalName(c), location: f.location, labels: f.labels }) };
    case 'cloudplatform.gcp.m.upbound.io/v1beta1/ServiceAccount':
      return { kind: 'gcp:serviceaccount:Account', ...sortKeys({ project: f.project, accountId: externalName(c), displayName: f.displayName }) };
    case 'bigquery.gcp.m.upbound.io/v1beta1/DatasetIAMMember':
      return { kind: 'gcp:bigquery:DatasetIamMember', ...sortKeys({ datasetId: f.datasetId, role: f.role, member: f.member }) };
    case 'cloudplatform.gcp.m.upbound.io/v1beta1/ServiceAccountIAMMember':
      return { kind: 'gcp:serviceaccount:IAMMember', ...sortKeys({ serviceAccountId: f.serviceAccountId, role: f.role, member: f.member }) };
  }
  throw new Error(`unexpected composed kind ${key} (${c.name})`);
}

export function planResourceKey(r: { kind: string; properties: object }): string {
  return JSON.stringify({ kind: r.kind, ...sortKeys(r.properties) });
}

export interface EdgeCase {
  name: string;
  mesh: Mesh;
  stack: StackConfig;
}

const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/**
 * Products whose shapes the example specs do not have: one layer (each of the three), many owners
 * of every member type, many readers (protected grants to products in and outside the mesh,
 * public readers), the longest and oddest ids the naming rules allow, a location override, and
 * protect on and off.
 */
export function edgeCases(): EdgeCase[] {
  const readers = many(12, (i) => `acme.readers.r${i}`);
  const wide = mesh(
    product('acme.wide.hub', {
      owners: [
        ...many(10, (i) => `user:owner${i}@acme.com`),
        'group:hub-admins@acme.com',
        'serviceAccount:ci-bot@acme-ci.iam.gserviceaccount.com',
        'domain:acme.com',
        'user:owner0@acme.com', // a duplicate: one member, not two
      ],
      topics: [
        topic('acme.wide.hub', 'protected', 'events', { grants: [...readers, 'acme.outside.mesh', 'acme.wide.hub'] }),
        topic('acme.wide.hub', 'public', 'news'),
      ],
    }),
    ...readers.map((id) => product(id, { layers: ['raw'] })),
  );
  const longId = `acme.${'very-long-segment.'.repeat(20)}end`;
  const odd = mesh(
    product(longId, { layers: ['curated'], topics: [topic(longId, 'public', 'x')] }),
    product(`${longId}2`, { layers: ['cleaned'] }),
    product(`${'z'.repeat(200)}.${'y'.repeat(200)}`, { layers: ['raw', 'curated'], location: 'europe-west1' }),
    product('acme.a-b'),
    product('acme.a_b', { layers: ['curated'] }),
    product('-lead.trail-', { layers: ['raw'] }),
    product('x'),
  );
  return [
    { name: 'adopted datasets and accounts under templates, protect off', mesh: adoptingMesh(), stack: stack({ crossplane: { enabled: true } }) },
    { name: 'many owners and readers, protect off', mesh: wide, stack: stack({ gcp: { publicReaders: 'domain:acme.com' }, crossplane: { enabled: true } }) },
    { name: 'many owners and readers, protect on', mesh: wide, stack: stack({ protect: true, crossplane: { enabled: true, namespace: 'team-hub' } }) },
    { name: 'long and odd ids, one layer each, protect on', mesh: odd, stack: stack({ protect: true, gcp: { publicReaders: 'group:all@acme.com' }, crossplane: { enabled: true } }) },
    { name: 'long and odd ids, protect off', mesh: odd, stack: stack({ crossplane: { enabled: true, namespace: 'x' } }) },
  ];
}

const written = { file: 'meshform.yaml', line: 1, col: 1 };
const template = (text: string): NameTemplate => ({ template: text, location: written });

/**
 * Two products whose GCP names come from templates and whose datasets and accounts exist (as a
 * mesh file's `gcp` would say, test/fixtures/specs/valid/mesh-gcp-names): orders adopts its raw
 * dataset and account under other ids and its curated dataset under its name, and creates its
 * cleaned one; billing (curated only) adopts everything under its template names and reads
 * orders' protected topic.
 */
export function adoptingMesh(): Mesh {
  const orders = product('acme.legacy.orders', { topics: [topic('acme.legacy.orders', 'protected', 'events', { grants: ['acme.legacy.billing'] })] });
  const billing = product('acme.legacy.billing', { layers: ['curated'] });
  const ordersGcp: GcpSettings = {
    datasetNames: { cleaned: template('{name}_silver') },
    adopt: { datasets: { raw: { id: template('legacy_orders_landing'), location: written }, curated: { location: written } }, serviceAccount: { id: template('orders-legacy'), location: written } },
  };
  const billingGcp: GcpSettings = {
    serviceAccountName: template('{name}-{env}-sa'),
    adopt: { datasets: { raw: { every: true, location: written }, cleaned: { every: true, location: written }, curated: { every: true, location: written } }, serviceAccount: { location: written } },
  };
  return mesh({ ...orders, gcp: ordersGcp }, { ...billing, gcp: billingGcp });
}
