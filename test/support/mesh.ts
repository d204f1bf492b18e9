/**
 * Mesh models built in code, for tests (and the Kafka bench) that must not depend on the spec
 * loader: name edge cases, scale, and shapes the example specs do not have.
 */
import type { Consumption, Grant, Layer, Mesh, Product, Quotas, Topic, Visibility } from '../../src/vocabulary/mesh';
import { businessDomainOf } from '../../src/reading/urn';

export interface TopicOptions {
  /** Grantee product ids (domain form). */
  grants?: string[];
  /** Product ids (domain form) granted write access (`grant-write:`): an input topic. */
  writers?: string[];
  partitions?: number;
  replicas?: number;
  config?: Record<string, string>;
  /** A topic whose name has no visibility segment (SpecMesh's tag-only visibility): `<owner>.<name>`. */
  fromTags?: boolean;
}

export interface ProductOptions {
  topics?: Topic[];
  /** Names of other products' topics the product receives from. */
  consumes?: string[];
  owners?: string[];
  layers?: Layer[];
  /** BigQuery location override. */
  location?: string;
  /** Kafka Streams opt-in (CREATE and DELETE under the product's `_private.` prefix). */
  kafkaStreams?: boolean;
  /** Kafka client quotas as `x-meshform.quotas` gives them. */
  quotas?: Quotas;
}

const at = (file: string) => ({ file, line: 1, col: 1 });
const specFile = (id: string) => `specs/${id}.yaml`;
const urnOf = (id: string) => `urn:${id.split('.').join(':')}`;

/** Topic `<owner>._<visibility>.<name>`, declared in the owner's spec file. */
export function topic(owner: string, visibility: Visibility, name: string, options: TopicOptions = {}): Topic {
  const grantsOf = (ids: readonly string[]): Grant[] => ids.map((grantee) => ({ grantee, granteeUrn: urnOf(grantee), location: at(specFile(owner)) }));
  const grants = grantsOf(options.grants ?? []);
  return {
    name: options.fromTags ? `${owner}.${name}` : `${owner}._${visibility}.${name}`,
    ...(options.fromTags && { visibilityFromTags: true }),
    owner,
    visibility,
    ...(options.partitions !== undefined && { partitions: options.partitions }),
    ...(options.replicas !== undefined && { replicas: options.replicas }),
    config: options.config ?? {},
    grants,
    ...(options.writers?.length && { writeGrants: grantsOf(options.writers) }),
    location: at(specFile(owner)),
  };
}

/** A source-aligned AsyncAPI 3.0 product with all three layers unless told otherwise. */
export function product(id: string, options: ProductOptions = {}): Product {
  const consumes: Consumption[] = (options.consumes ?? []).map((name) => ({
    consumer: id,
    topic: name,
    location: at(specFile(id)),
  }));
  return {
    urn: urnOf(id),
    id,
    businessDomain: businessDomainOf(id),
    title: `Product ${id}`,
    version: '1.0.0',
    asyncapiVersion: '3.0.0',
    file: specFile(id),
    owners: options.owners ?? [`user:owner@${id}.example`],
    domainType: 'source-aligned',
    storage: {
      bigquery: {
        layers: options.layers ?? ['raw', 'cleaned', 'curated'],
        ...(options.location !== undefined && { location: options.location }),
      },
    },
    kafkaStreams: options.kafkaStreams ?? false,
    dialect: 'asyncapi',
    settingsFrom: { owners: 'x-meshform', domainType: 'default', storage: 'default', kafkaStreams: 'default', dialect: 'default', quotas: 'default' },
    topics: options.topics ?? [],
    consumes,
    ...(options.quotas && { quotas: options.quotas }),
    location: at(specFile(id)),
  };
}

/** Products sorted by id, as the model builder returns them. */
export function mesh(...products: Product[]): Mesh {
  return { products: [...products].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
