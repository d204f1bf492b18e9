/**
 * Small Mesh and StackConfig values built in code, for adapter tests that must not depend on the
 * spec parser: name edge cases and shapes the example specs do not have.
 */
import type { Layer, Mesh, Product, Topic, Visibility } from '../../../src/model/types';
import type { StackConfig } from '../../../src/stack/types';

const at = (file: string) => ({ file, line: 1, col: 1 });

export function topic(owner: string, visibility: Visibility, name: string, grantees: string[] = []): Topic {
  return {
    name: `${owner}._${visibility}.${name}`,
    owner,
    visibility,
    config: {},
    grants: grantees.map((grantee) => ({ grantee, granteeUrn: `urn:${grantee.split('.').join(':')}`, location: at('x.yaml') })),
    location: at(`${owner}.yaml`),
  };
}

export function product(
  id: string,
  options: { owners?: string[]; layers?: Layer[]; location?: string; topics?: Topic[] } = {},
): Product {
  const segments = id.split('.');
  return {
    urn: `urn:${segments.join(':')}`,
    id,
    businessDomain: segments.slice(0, -1).join('.'),
    title: id,
    version: '1.0.0',
    asyncapiVersion: '3.0.0',
    file: `${id}.yaml`,
    owners: options.owners ?? [`user:owner@${segments[0]}.com`],
    domainType: 'source-aligned',
    storage: { bigquery: { layers: options.layers ?? ['raw', 'cleaned', 'curated'], ...(options.location && { location: options.location }) } },
    topics: options.topics ?? [],
    consumes: [],
    location: at(`${id}.yaml`),
  };
}

export function mesh(...products: Product[]): Mesh {
  return { products: [...products].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

export function stack(overrides: Partial<StackConfig> & { publicReaders?: string } = {}): StackConfig {
  const { publicReaders, ...rest } = overrides;
  return {
    name: 'test',
    environment: 'test',
    gcp: { project: 'acme-data-test', location: 'EU', ...(publicReaders && { publicReaders }) },
    kafka: {
      principalTemplate: 'User:{domain}',
      defaultPartitions: 3,
      defaultReplicas: 3,
      partitionFactor: 1,
      allowDelete: false,
      allowDeletePrivate: false,
      connection: { clientId: 'meshform', tls: false },
    },
    crossplane: { enabled: true, namespace: 'data-products' },
    protect: false,
    specs: 'specs',
    ...rest,
  };
}

/** Public, protected-with-grant and private topics, subset layers, a product location override. */
export function sampleMesh(): Mesh {
  return mesh(
    product('acme.retail.orders', {
      owners: ['user:alice@acme.com', 'group:orders@acme.com'],
      topics: [
        topic('acme.retail.orders', 'public', 'order_placed'),
        topic('acme.retail.orders', 'protected', 'order_paid', ['acme.retail.shipping', 'acme.finance.unknown']),
        topic('acme.retail.orders', 'private', 'order_scratch'),
      ],
    }),
    product('acme.retail.shipping', { layers: ['raw', 'curated'], location: 'europe-west1' }),
    product('acme.finance.ledger', { layers: ['cleaned'], topics: [topic('acme.finance.ledger', 'public', 'entries')] }),
  );
}
