/**
 * The mesh model: every product in the mesh, resolved and checked across specs.
 * Built by `model/build.ts` from the per-file facts that `spec/` extracts; consumed by `plan/`.
 */
import type { SourceLocation } from './diagnostics';
import type { Compatibility, SchemaType } from './schema-kinds';

export type Visibility = 'public' | 'protected' | 'private';
export type DomainType = 'source-aligned' | 'aggregate' | 'consumer-aligned';
export type Layer = 'raw' | 'cleaned' | 'curated';
/**
 * How a spec is read: `asyncapi` as AsyncAPI means it; `specmesh` as SpecMesh reads 2.x documents
 * (`publish` = the product produces, `configs`, grants by domain id, tag-only visibility).
 */
export type Dialect = 'asyncapi' | 'specmesh';
export const DIALECTS: readonly Dialect[] = ['asyncapi', 'specmesh'];
export const LAYERS: readonly Layer[] = ['raw', 'cleaned', 'curated'];

/**
 * Kafka's own client-quota keys a product may set (`x-meshform.quotas`), applied to the product's
 * principal as a Kafka `user` quota entity: bytes per second it may produce and fetch (on each
 * broker), and the share of one broker thread's time its requests may take.
 */
export type QuotaKey = 'producer_byte_rate' | 'consumer_byte_rate' | 'request_percentage';
export const QUOTA_KEYS: readonly QuotaKey[] = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'];
export type Quotas = Partial<Record<QuotaKey, number>>;

export interface Grant {
  /** Product id (domain form, `acme.retail.shipping`) the topic is opened to. */
  grantee: string;
  /** As written in the tag: `urn:acme:retail:shipping` (SpecMesh dialect: also `acme.retail.shipping`). */
  granteeUrn: string;
  location: SourceLocation;
}

/** A message a topic carries, as its owner's spec declares it (what the catalog shows beside the schemas). */
export interface Message {
  /** The message's key or id in the spec (`orderPlaced`), else its name. */
  id: string;
  name?: string;
  title?: string;
  summary?: string;
  description?: string;
  contentType?: string;
  /** AsyncAPI schema format, e.g. `application/vnd.apache.avro;version=1.9.0`; absent: the AsyncAPI (JSON) schema. */
  schemaFormat?: string;
  /**
   * The payload with every `$ref` resolved (may be cyclic), only on topics without a value or key
   * schema in `schemas` (e.g. a schema that refers to itself): otherwise the schemas say it.
   */
  payload?: unknown;
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
  /** Where each config value is written in the spec (absent in models built in code). */
  configLocations?: Record<string, SourceLocation>;
  /** Products that may read the topic (`grant-access:` tags). */
  grants: Grant[];
  /**
   * Products that may write to the topic besides its owner (`grant-write:` tags): an input topic
   * (a command or alert channel the owner reads). Protected topics only.
   */
  writeGrants?: Grant[];
  /**
   * The name carries no visibility segment: who may read it comes from its `grant-access:` tags
   * only (SpecMesh dialect). Such a topic is outside the owner's visibility prefixes, so the
   * owner's own access to it is granted on the topic itself.
   */
  visibilityFromTags?: boolean;
  /** Message value/key schemas and the compatibility level (`x-meshform.compatibility`); absent when the spec gives none. */
  schemas?: ChannelSchemas;
  /** The messages the channel declares; absent when it declares none (and in models built in code). */
  messages?: Message[];
  description?: string;
  /** The owner has a send operation on it (it produces to it); absent in models built in code. */
  sends?: boolean;
  /** The owner has a receive operation on it (it reads its own topic back). */
  receives?: boolean;
  /**
   * An existing name the product adopts (`x-meshform.adopt.topics`): outside the naming convention,
   * its visibility declared there. The owner's access to it is granted on the topic itself, by what
   * the spec does with it (send: write, receive: read), to each of its principals allowed on it.
   */
  adopted?: boolean;
  /** The owner's promise: the newest record is never older than this (channel `x-meshform.freshness`). */
  freshness?: Freshness;
  /** Records a consuming product's group may be behind, for every consumer that sets no limit of its own. */
  maxLag?: number;
  /** Where `maxLag` is written (absent in models built in code). */
  maxLagLocation?: SourceLocation;
  location: SourceLocation;
}

/** An ISO-8601 duration as written (`PT15M`) and its length. */
export interface Freshness {
  duration: string;
  seconds: number;
  /** Where it is written (absent in models built in code). */
  location?: SourceLocation;
}

/** A `receive` on another product's topic: lineage, and (if allowed) read access. */
export interface Consumption {
  /** Consuming product id. */
  consumer: string;
  topic: string;
  /** Owning product id, when the topic is declared somewhere in the mesh. */
  owner?: string;
  /** The consumer's own lag limit (its channel's `x-meshform.maxLag`); else the topic's. */
  maxLag?: number;
  /** Where the consumer's `maxLag` is written. */
  maxLagLocation?: SourceLocation;
  location: SourceLocation;
}

/** A topic name the product adopts, with its visibility (`x-meshform.adopt.topics`). */
export interface AdoptedTopic {
  name: string;
  visibility: Visibility;
  location: SourceLocation;
}

/** A consumer group id or transactional id the product adopts: exact, or every name starting with `x` when written `x*`. */
export interface AdoptedClaim {
  name: string;
  location: SourceLocation;
}

/**
 * A Kafka principal the product's applications already use. Without limits it has every access
 * the product has (its convention prefixes included); with any of `sends`, `receives`, `groups`
 * or `transactionalIds`, only what those list: writing the topics in `sends` (that the product
 * sends to), reading those in `receives` (that it receives from, its own or granted ones), the
 * adopted groups and transactional ids listed. So an estate's per-application access keeps its shape.
 */
export interface AdoptedPrincipal {
  /** `User:orders-svc`. */
  principal: string;
  sends?: string[];
  receives?: string[];
  groups?: string[];
  transactionalIds?: string[];
  location: SourceLocation;
}

/**
 * What a product adopts from an existing estate (`x-meshform.adopt`): names meshform did not
 * create, each explicitly its own. All optional; an empty list adopts nothing of that kind.
 */
export interface Adoption {
  topics: AdoptedTopic[];
  /** When given, the product's principals instead of the stack's `principalTemplate`. */
  principals: AdoptedPrincipal[];
  groups: AdoptedClaim[];
  transactionalIds: AdoptedClaim[];
}

/**
 * A `send` on another product's topic: an input topic it writes to under the owner's
 * `grant-write:`, or (an error the model reports) a send without one.
 */
export interface Production {
  /** Writing product id. */
  producer: string;
  topic: string;
  /** Owning product id, when the topic is declared somewhere in the mesh. */
  owner?: string;
  /** The owner grants the producer write access (`grant-write:`). */
  granted: boolean;
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
  /** `info.description`, when the spec has one. */
  description?: string;
  version: string;
  /** The spec's `asyncapi` field, e.g. `3.0.0` or `2.6.0`. */
  asyncapiVersion: string;
  file: string;
  /** IAM members, normalised: `user:alice@acme.com`, `group:...`, `serviceAccount:...`, `domain:...`. */
  owners: string[];
  domainType: DomainType;
  storage: { bigquery: { layers: Layer[]; location?: string } };
  /** Kafka Streams opt-in: the principal may also create (and purge) topics under its `_private.` prefix. */
  kafkaStreams: boolean;
  dialect: Dialect;
  /**
   * Where each setting came from: `x-meshform`, a mesh file position (`specs/meshform.yaml:3:3`),
   * or `default`. Shown by `meshform validate --json`.
   */
  settingsFrom: Record<Exclude<SettingKey, 'adopt' | 'gcp'>, string> & { adopt?: string; gcp?: string };
  /** Names of an existing estate the product owns (`x-meshform.adopt`); absent when it adopts nothing. */
  adopt?: Adoption;
  /** Naming templates of its GCP resources and those that exist already (`gcp`); absent when nothing is set. */
  gcp?: GcpSettings;
  /** Topics the product owns (declares and may send to). */
  topics: Topic[];
  /** Topics of other products that it receives from. */
  consumes: Consumption[];
  /** Topics of other products that it sends to (granted or not); absent in models built in code. */
  produces?: Production[];
  /**
   * Kafka client quotas for the product's principal, key by key from `x-meshform.quotas` or the
   * mesh file (the stack's defaults and factor apply in the plan); absent or empty: none set there.
   */
  quotas?: Quotas;
  /** Where each quota value came from (`x-meshform`, a mesh file position). */
  quotasFrom?: Partial<Record<QuotaKey, string>>;
  location: SourceLocation;
}

/** The product settings a spec's `x-meshform` or a mesh file (`meshform.yaml`) may give. */
export type SettingKey = 'owners' | 'domainType' | 'storage' | 'kafkaStreams' | 'dialect' | 'quotas' | 'adopt' | 'gcp';

/** A GCP naming template as written (`{domain}_{name}_{layer}`, or a plain id), and where. */
export interface NameTemplate {
  template: string;
  location: SourceLocation;
}

/**
 * A product's GCP names and what of its GCP footprint exists already (`gcp` in x-meshform or a mesh
 * file; docs/spec-reference.md). Each part comes from the most specific place that sets it.
 */
export interface GcpSettings {
  /** `names.dataset`: the template per layer; a layer without one gets the default `<id>_<layer>`. */
  datasetNames?: Partial<Record<Layer, NameTemplate>>;
  /** `names.serviceAccount`; absent: the default `mf-<id>`. */
  serviceAccountName?: NameTemplate;
  /** `adopt`: the datasets and account that exist; absent: meshform creates them all. */
  adopt?: GcpAdoption;
}

/** Datasets and the service account a product adopts: they exist, so Pulumi imports them instead of creating them. */
export interface GcpAdoption {
  /** Layers whose dataset exists, each with the id written for it (else the product's dataset name). */
  datasets: Partial<Record<Layer, AdoptedGcpName>>;
  serviceAccount?: AdoptedGcpName;
}

export interface AdoptedGcpName {
  /** The existing id when it differs from the name in effect (a plain id or a template). */
  id?: NameTemplate;
  /** Written as `true` for every dataset (`adopt: true`, `datasets: true`): the layers the product has. */
  every?: boolean;
  location: SourceLocation;
}

export interface Mesh {
  /** Sorted by id. */
  products: Product[];
}

export type SchemaRole = 'value' | 'key';

export interface SchemaFact {
  type: SchemaType;
  /** The schema with every `$ref` inlined (Avro, JSON Schema), or the `.proto` text. */
  schema: unknown;
  /** The text meshform registers (see `FormatSupport.canonical`). */
  canonical: string;
  /** Where the schema is written: in the spec, or in the file a `$ref` names. */
  location: SourceLocation;
  /** The schema's JSON path in `location.file` ([] for a whole schema file), to place problems inside it. */
  path?: Array<string | number>;
}

export interface ChannelSchemas {
  value?: SchemaFact;
  key?: SchemaFact;
  compatibility?: Compatibility;
}
