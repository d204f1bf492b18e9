/**
 * The mesh model: every product in the mesh, resolved and checked across specs.
 * Built by `model/build.ts` from the per-file facts that `spec/` extracts; consumed by `plan/`.
 */
import type { SourceLocation } from '../diagnostics';

export type Visibility = 'public' | 'protected' | 'private';
export type DomainType = 'source-aligned' | 'aggregate' | 'consumer-aligned';
export type Layer = 'raw' | 'cleaned' | 'curated';
export const LAYERS: readonly Layer[] = ['raw', 'cleaned', 'curated'];

export interface Grant {
  /** Product id (domain form, `acme.retail.shipping`) the topic is opened to. */
  grantee: string;
  /** As written in the tag: `urn:acme:retail:shipping`. */
  granteeUrn: string;
  location: SourceLocation;
}

export interface Topic {
  /** Fully qualified Kafka topic name, e.g. `acme.retail.orders._public.order_placed`. */
  name: string;
  /** Id of the owning product. */
  owner: string;
  visibility: Visibility;
  /** From the Kafka binding; absent means the stack's default. */
  partitions?: number;
  replicas?: number;
  /** Topic configuration as Kafka strings (`cleanup.policy: "compact,delete"`). */
  config: Record<string, string>;
  grants: Grant[];
  description?: string;
  /** The owner has a send operation on it (it produces to it); absent in models built in code. */
  sends?: boolean;
  /** The owner has a receive operation on it (it reads its own topic back). */
  receives?: boolean;
  location: SourceLocation;
}

/** A `receive` on another product's topic: lineage, and (if allowed) read access. */
export interface Consumption {
  /** Consuming product id. */
  consumer: string;
  topic: string;
  /** Owning product id, when the topic is declared somewhere in the mesh. */
  owner?: string;
  location: SourceLocation;
}

export interface Product {
  /** `urn:acme:retail:orders` */
  urn: string;
  /** Domain form of the urn: `acme.retail.orders`. The product's key, owner identity and topic prefix. */
  id: string;
  /** Leading segments of the id: `acme.retail`. Groups products for humans and labels. */
  businessDomain: string;
  title: string;
  version: string;
  /** The spec's `asyncapi` field, e.g. `3.0.0` or `2.6.0`. */
  asyncapiVersion: string;
  file: string;
  /** IAM members, normalised: `user:alice@acme.com`, `group:...`, `serviceAccount:...`, `domain:...`. */
  owners: string[];
  domainType: DomainType;
  storage: { bigquery: { layers: Layer[]; location?: string } };
  /** Topics the product owns (declares and may send to). */
  topics: Topic[];
  /** Topics of other products that it receives from. */
  consumes: Consumption[];
  location: SourceLocation;
}

export interface Mesh {
  /** Sorted by id. */
  products: Product[];
}
