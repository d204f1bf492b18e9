/** Small builders for mesh models and stacks, so plan tests do not depend on the spec loader. */
import type { Consumption, Grant, Layer, Mesh, Product, Topic, Visibility } from '../../src/model/types';
import type { StackConfig } from '../../src/stack/types';

const at = (file: string) => ({ file, line: 1, col: 1 });

export function topic(
  owner: string,
  visibility: Visibility,
  name: string,
  options: { grants?: string[]; partitions?: number; replicas?: number; config?: Record<string, string> } = {},
): Topic {
  const grants: Grant[] = (options.grants ?? []).map((grantee) => ({
    grantee,
    granteeUrn: 'urn:' + grantee.split('.').join(':'),
    location: at(`specs/${owner}.yaml`),
  }));
  return {
    name: `${owner}._${visibility}.${name}`,
    owner,
    visibility,
    ...(options.partitions !== undefined && { partitions: options.partitions }),
    ...(options.replicas !== undefined && { replicas: options.replicas }),
    config: options.config ?? {},
    grants,
    location: at(`specs/${owner}.yaml`),
  };
}

export function product(
  id: string,
  options: {
    topics?: Topic[];
    consumes?: string[];
    owners?: string[];
    layers?: Layer[];
    location?: string;
  } = {},
): Product {
  const consumes: Consumption[] = (options.consumes ?? []).map((name) => ({
    consumer: id,
    topic: name,
    location: at(`specs/${id}.yaml`),
  }));
  return {
    urn: 'urn:' + id.split('.').join(':'),
    id,
    businessDomain: id.split('.').slice(0, -1).join('.') || id,
    title: `Product ${id}`,
    version: '1.0.0',
    asyncapiVersion: '3.0.0',
    file: `specs/${id}.yaml`,
    owners: options.owners ?? [`user:owner@${id}.example`],
    domainType: 'source-aligned',
    storage: {
      bigquery: {
        layers: options.layers ?? ['raw', 'cleaned', 'curated'],
        ...(options.location !== undefined && { location: options.location }),
      },
    },
    topics: options.topics ?? [],
    consumes,
    location: at(`specs/${id}.yaml`),
  };
}

export function mesh(...products: Product[]): Mesh {
  return { products: [...products].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function stack(overrides: DeepPartial<StackConfig> = {}): StackConfig {
  const base: StackConfig = {
    name: 'test',
    environment: 'test',
    gcp: { project: 'acme-data-test', location: 'EU' },
    kafka: {
      principalTemplate: 'User:{domain}',
      defaultPartitions: 3,
      defaultReplicas: 3,
      partitionFactor: 1,
      allowDelete: false,
      allowDeletePrivate: false,
      connection: { clientId: 'meshform', tls: false },
    },
    crossplane: { enabled: false, namespace: 'data-products' },
    protect: false,
    specs: 'specs',
  };
  return {
    ...base,
    ...overrides,
    gcp: { ...base.gcp, ...overrides.gcp },
    kafka: {
      ...base.kafka,
      ...overrides.kafka,
      connection: { ...base.kafka.connection, ...overrides.kafka?.connection },
    },
    crossplane: { ...base.crossplane, ...overrides.crossplane },
  } as StackConfig;
}

/**
 * The example mesh the plan tests share: two business domains, public, protected (with a grant)
 * and private topics, a consumer, a subset of layers, and two ids where one prefixes the other.
 */
export function exampleMesh(): Mesh {
  return mesh(
    product('acme.retail.orders', {
      owners: ['user:alice@acme.com', 'group:orders@acme.com'],
      topics: [
        topic('acme.retail.orders', 'public', 'order_placed', { partitions: 12, config: { 'retention.ms': '604800000' } }),
        topic('acme.retail.orders', 'protected', 'payment_details', { grants: ['acme.finance.billing'] }),
        topic('acme.retail.orders', 'private', 'order_state', { config: { 'cleanup.policy': 'compact' } }),
      ],
    }),
    product('acme.finance.billing', {
      layers: ['raw', 'curated'],
      consumes: ['acme.retail.orders._protected.payment_details', 'acme.retail.orders._public.order_placed'],
      topics: [topic('acme.finance.billing', 'public', 'invoice_issued')],
    }),
    product('acme.user', { topics: [topic('acme.user', 'private', 'profile')] }),
    product('acme.userprops', { topics: [topic('acme.userprops', 'public', 'prop_changed')], layers: ['raw'] }),
  );
}
