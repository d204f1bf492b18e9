/**
 * What three example products must become, written by hand from their specs
 * (specs/retail-orders.yaml, specs/finance-billing.yaml, specs/customer-profiles.yaml), the example
 * stacks and the documented rules (README: "Access model", "Stack configuration", "The
 * DataProduct"; crossplane/composition.yaml), never computed by meshform: the independent oracle
 * of the Pulumi program, the Pulumi engine suite, the DataProduct rendering and Crossplane's
 * composition. Every name and value below is a literal or follows from one in a line or two.
 *
 * The three cover: a public topic with public readers (orders, profiles), protected grants to a
 * product in the mesh (all three), several owners of different member types (orders, billing), a
 * product location (profiles, europe-west1) and the stack's (billing, EU), a private topic
 * (orders), and partition counts that dev's factor 0.25 rounds up (6 -> 2, 3 -> 1, 2 -> 1).
 */
import { createHash } from 'node:crypto';

export type ExampleProduct = 'acme.retail.orders' | 'acme.finance.billing' | 'acme.customer.profiles';
export const EXAMPLE_PRODUCTS: ExampleProduct[] = ['acme.retail.orders', 'acme.finance.billing', 'acme.customer.profiles'];

/** The example stacks' values these expectations depend on (stacks/Pulumi.<stack>.yaml). */
export interface StackFacts {
  name: 'dev' | 'staging' | 'prod';
  project: string;
  environment: string;
  publicReaders?: string;
  protect: boolean;
  namespace?: string;
}

export const STACK_FACTS: Record<StackFacts['name'], StackFacts> = {
  dev: { name: 'dev', project: 'acme-data-dev', environment: 'dev', protect: false },
  staging: { name: 'staging', project: 'acme-data-staging', environment: 'staging', protect: false, namespace: 'data-products' },
  prod: { name: 'prod', project: 'acme-data-prod', environment: 'production', publicReaders: 'domain:acme.com', protect: true },
};

interface ProductFacts {
  urn: string;
  businessDomain: string;
  domainType: string;
  /** Sorted, as the plan lists owners. */
  owners: string[];
  /** The spec's location, else the stack's (EU in every example stack). */
  location: string;
  /** Products granted a protected topic of this one (all in the mesh). */
  grantees: string[];
  hasPublicTopic: boolean;
  /** Topic -> partitions in the spec. */
  topics: Record<string, number>;
  /** Topic -> the product granted it (protected topics only). */
  protectedGrants: Record<string, string>;
}

const FACTS: Record<ExampleProduct, ProductFacts> = {
  'acme.retail.orders': {
    urn: 'urn:acme:retail:orders',
    businessDomain: 'acme.retail',
    domainType: 'source-aligned',
    owners: ['group:orders-team@acme.com', 'user:alice@acme.com'],
    location: 'EU',
    grantees: ['acme.finance.billing'],
    hasPublicTopic: true,
    topics: {
      'acme.retail.orders._public.order_placed': 6,
      'acme.retail.orders._protected.order_payment': 3,
      'acme.retail.orders._private.order_state': 3,
    },
    protectedGrants: { 'acme.retail.orders._protected.order_payment': 'acme.finance.billing' },
  },
  'acme.finance.billing': {
    urn: 'urn:acme:finance:billing',
    businessDomain: 'acme.finance',
    domainType: 'aggregate',
    owners: ['group:finance@acme.com', 'serviceAccount:billing-ci@acme-prod.iam.gserviceaccount.com'],
    location: 'EU',
    grantees: ['acme.analytics.customer360'],
    hasPublicTopic: false,
    topics: { 'acme.finance.billing._protected.invoice_issued': 2 },
    protectedGrants: { 'acme.finance.billing._protected.invoice_issued': 'acme.analytics.customer360' },
  },
  'acme.customer.profiles': {
    urn: 'urn:acme:customer:profiles',
    businessDomain: 'acme.customer',
    domainType: 'source-aligned',
    owners: ['group:crm-team@acme.com'],
    location: 'europe-west1',
    grantees: ['acme.marketing.campaigns'],
    hasPublicTopic: true,
    topics: {
      'acme.customer.profiles._public.profile_updated': 6,
      'acme.customer.profiles._protected.consent_changed': 3,
    },
    protectedGrants: { 'acme.customer.profiles._protected.consent_changed': 'acme.marketing.campaigns' },
  },
};

const LAYERS = ['raw', 'cleaned', 'curated'] as const;

/** `acme.retail.orders` -> `mf-acme-retail-orders` (README: service account ids). */
const accountIdOf = (id: string) => `mf-${id.split('.').join('-')}`;
const emailOf = (id: string, project: string) => `${accountIdOf(id)}@${project}.iam.gserviceaccount.com`;
/** `acme.retail.orders` + raw -> `acme_retail_orders_raw`. */
const datasetIdOf = (id: string, layer: string) => `${id.split('.').join('_')}_${layer}`;
/** Plan resource names join parts with `/`; a `/` inside a part (the roles) is %2F. */
const named = (...parts: string[]) => parts.map((p) => p.split('/').join('%2F')).join('/');

/** Readers of the curated dataset: granted products' accounts, public readers when a topic is public; sorted. */
function curatedReaders(id: ExampleProduct, stack: StackFacts): string[] {
  const facts = FACTS[id];
  const readers = facts.grantees.map((g) => `serviceAccount:${emailOf(g, stack.project)}`);
  if (stack.publicReaders && facts.hasPublicTopic) readers.push(stack.publicReaders);
  return readers.sort();
}

function labelsOf(id: ExampleProduct, layer: string, stack: StackFacts): Record<string, string> {
  return {
    domain: FACTS[id].businessDomain.split('.').join('_'),
    product: id.split('.').join('_'),
    layer,
    environment: stack.environment,
    'managed-by': 'meshform',
  };
}

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** GCP mode: what the Pulumi program registers for the product (besides its component), sorted by type and name. */
export function gcpRegistrations(id: ExampleProduct, stack: StackFacts): Registration[] {
  const facts = FACTS[id];
  const { project } = stack;
  const accountId = accountIdOf(id);
  const email = emailOf(id, project);
  const out: Registration[] = [
    {
      type: 'gcp:serviceaccount/account:Account',
      name: `${id}/service-account/${accountId}`,
      inputs: { project, accountId, displayName: `meshform ${id}` },
    },
  ];
  for (const owner of facts.owners) {
    out.push({
      type: 'gcp:serviceaccount/iAMMember:IAMMember',
      name: named(id, 'service-account-iam', accountId, 'roles/iam.serviceAccountTokenCreator', owner),
      inputs: { serviceAccountId: `projects/${project}/serviceAccounts/${email}`, role: 'roles/iam.serviceAccountTokenCreator', member: owner },
    });
  }
  for (const layer of LAYERS) {
    const datasetId = datasetIdOf(id, layer);
    out.push({
      type: 'gcp:bigquery/dataset:Dataset',
      name: `${id}/dataset/${datasetId}`,
      inputs: { project, datasetId, location: facts.location, labels: labelsOf(id, layer, stack), deleteContentsOnDestroy: false },
    });
    const members: Array<[string, string]> = [['roles/bigquery.dataEditor', `serviceAccount:${email}`]];
    if (layer === 'curated') for (const reader of curatedReaders(id, stack)) members.push(['roles/bigquery.dataViewer', reader]);
    for (const [role, member] of members) {
      out.push({
        type: 'gcp:bigquery/datasetIamMember:DatasetIamMember',
        name: named(id, 'dataset-iam', datasetId, role, member),
        inputs: { datasetId, role, member, project },
      });
    }
  }
  return sortRegistrations(out);
}

export function sortRegistrations<T extends { type: string; name: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (`${a.type} ${a.name}` < `${b.type} ${b.name}` ? -1 : 1));
}

/** Crossplane mode: the product's DataProduct object (README "The DataProduct"). */
export function dataProduct(id: ExampleProduct, stack: StackFacts): Record<string, unknown> {
  const facts = FACTS[id];
  const k8s = (text: string) => text.split('.').join('-');
  return {
    apiVersion: 'meshifi.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: k8s(id),
      namespace: stack.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'meshform',
        'meshifi.io/product': k8s(id),
        'meshifi.io/domain': k8s(facts.businessDomain),
        'meshifi.io/environment': k8s(stack.environment),
      },
    },
    spec: {
      product: { id, urn: facts.urn, businessDomain: facts.businessDomain, domainType: facts.domainType },
      project: stack.project,
      location: facts.location,
      protect: stack.protect,
      datasets: LAYERS.map((layer) => ({
        layer,
        datasetId: datasetIdOf(id, layer),
        labels: labelsOf(id, layer, stack),
        viewers: layer === 'curated' ? curatedReaders(id, stack) : [],
      })),
      serviceAccount: { accountId: accountIdOf(id), displayName: `meshform ${id}`, email: emailOf(id, stack.project) },
      owners: facts.owners,
    },
  };
}

export interface Composed {
  /** The composition-resource-name. */
  name: string;
  apiVersion: string;
  kind: string;
  externalName?: string;
  managementPolicies?: string[];
  forProvider: Record<string, unknown>;
}

/** What crossplane/composition.yaml composes from the product's DataProduct, sorted by name. */
export function composedResources(id: ExampleProduct, stack: StackFacts): Composed[] {
  const facts = FACTS[id];
  const { project } = stack;
  const email = emailOf(id, project);
  const hash12 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
  const out: Composed[] = [
    {
      name: 'service-account',
      apiVersion: 'cloudplatform.gcp.m.upbound.io/v1beta1',
      kind: 'ServiceAccount',
      externalName: accountIdOf(id),
      forProvider: { project, displayName: `meshform ${id}` },
    },
  ];
  for (const layer of LAYERS) {
    const datasetId = datasetIdOf(id, layer);
    out.push({
      name: `dataset-${layer}`,
      apiVersion: 'bigquery.gcp.m.upbound.io/v1beta1',
      kind: 'Dataset',
      externalName: datasetId,
      ...(stack.protect && { managementPolicies: ['Observe', 'Create', 'Update', 'LateInitialize'] }),
      forProvider: { project, location: facts.location, deleteContentsOnDestroy: false, labels: labelsOf(id, layer, stack) },
    });
    const iam = (name: string, role: string, member: string): Composed => ({
      name,
      apiVersion: 'bigquery.gcp.m.upbound.io/v1beta1',
      kind: 'DatasetIAMMember',
      forProvider: { project, datasetId, role, member },
    });
    out.push(iam(`dataset-${layer}-editor`, 'roles/bigquery.dataEditor', `serviceAccount:${email}`));
    if (layer === 'curated') {
      for (const viewer of curatedReaders(id, stack)) out.push(iam(`dataset-${layer}-viewer-${hash12(viewer)}`, 'roles/bigquery.dataViewer', viewer));
    }
  }
  for (const owner of facts.owners) {
    out.push({
      name: `owner-${hash12(owner)}`,
      apiVersion: 'cloudplatform.gcp.m.upbound.io/v1beta1',
      kind: 'ServiceAccountIAMMember',
      forProvider: { serviceAccountId: `projects/${project}/serviceAccounts/${email}`, role: 'roles/iam.serviceAccountTokenCreator', member: owner },
    });
  }
  return [...out].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The product's topics on a cluster of the dev stack (`partitionFactor` 0.25, rounded up, at
 * least 1) as `<topic> <partitions>`, and its ACLs as `<permission> <principal> <operation>
 * <TYPE>:<PATTERN>:<name>`, both sorted: the owner's prefixes (README "Access model"), `User:*`
 * on each public topic, each grantee on its protected topic.
 */
export function kafkaOnDev(id: ExampleProduct): { topics: string[]; acls: string[] } {
  const facts = FACTS[id];
  const owner = `User:${id}`;
  // Written out rather than computed: 6 x 0.25 = 1.5 -> 2, 3 x 0.25 = 0.75 -> 1, 2 x 0.25 = 0.5 -> 1.
  const onDev: Record<number, number> = { 6: 2, 3: 1, 2: 1 };
  const topics = Object.entries(facts.topics).map(([topic, partitions]) => `${topic} ${onDev[partitions]}`);
  const acls: string[] = [];
  for (const segment of ['_public', '_protected', '_private']) {
    for (const op of ['READ', 'WRITE', 'DESCRIBE', 'DESCRIBE_CONFIGS']) acls.push(`ALLOW ${owner} ${op} TOPIC:PREFIXED:${id}.${segment}.`);
  }
  for (const prefix of [`${id}.`, `${id}-`]) {
    for (const op of ['READ', 'DESCRIBE']) acls.push(`ALLOW ${owner} ${op} GROUP:PREFIXED:${prefix}`);
    for (const op of ['WRITE', 'DESCRIBE']) acls.push(`ALLOW ${owner} ${op} TRANSACTIONAL_ID:PREFIXED:${prefix}`);
  }
  for (const topic of Object.keys(facts.topics)) {
    const reader = topic.includes('._public.') ? 'User:*' : facts.protectedGrants[topic] ? `User:${facts.protectedGrants[topic]}` : undefined;
    if (reader) for (const op of ['READ', 'DESCRIBE']) acls.push(`ALLOW ${reader} ${op} TOPIC:LITERAL:${topic}`);
  }
  return { topics: topics.sort(), acls: acls.sort() };
}
