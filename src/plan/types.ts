/**
 * The plan: the desired resources of one stack, as plain data. Pure, deterministic, stable names.
 * Kinds and property names are a public contract (`meshform plan --json`, adapters, outside tools).
 */
import type { Compatibility, SchemaType } from '../schemas/types';
import type { DomainType, Layer, Quotas, Visibility } from '../vocabulary/mesh';

export interface KafkaTopicProps {
  topic: string;
  partitions: number;
  replicas: number;
  /** Only the keys the spec sets; Kafka string form. */
  config: Record<string, string>;
}

export type AclResourceType = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID' | 'CLUSTER';
export type AclPatternType = 'LITERAL' | 'PREFIXED';
export type AclOperation =
  | 'ALL' | 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'ALTER' | 'DESCRIBE'
  | 'CLUSTER_ACTION' | 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS' | 'IDEMPOTENT_WRITE';
export type AclPermission = 'ALLOW' | 'DENY';

export interface KafkaAclProps {
  principal: string;
  resourceType: AclResourceType;
  resourceName: string;
  patternType: AclPatternType;
  operation: AclOperation;
  permission: AclPermission;
  host: string;
}

/**
 * A product's Kafka client quotas: Kafka's `user` quota entity named by the product principal's
 * name (`User:acme.retail.orders` -> `acme.retail.orders`), with Kafka's own keys. Byte rates are
 * per broker (Kafka enforces them on each broker the product talks to).
 */
export interface KafkaQuotaProps {
  /** The principal the quota applies to, as the ACLs name it. */
  principal: string;
  /** Kafka's client-quota entity: `{user: <principal name>}`. */
  entity: { user: string };
  /** Only the keys set: `producer_byte_rate`, `consumer_byte_rate` (bytes/s), `request_percentage`. */
  quotas: Quotas;
}

/** A Confluent schema reference (a named type or import registered under another subject). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface SchemaSubjectProps {
  /** TopicNameStrategy: `<topic>-value` for the payload, `<topic>-key` for the Kafka message key. */
  subject: string;
  schemaType: SchemaType;
  /** The registered text: JSON (Avro, JSON Schema) with `$ref`s inlined, or the `.proto` text. */
  schema: string;
  /** Always empty today: schemas are registered self-contained. */
  references: SchemaReference[];
  /** Set on the subject before a schema is registered. */
  compatibility: Compatibility;
}

export interface DatasetProps {
  project: string;
  datasetId: string;
  location: string;
  labels: Record<string, string>;
}

export interface ServiceAccountProps {
  project: string;
  accountId: string;
  displayName: string;
}

export interface DatasetIamMemberProps {
  datasetId: string;
  role: string;
  member: string;
}

export interface ServiceAccountIamMemberProps {
  /** `projects/<project>/serviceAccounts/<accountId>@<project>.iam.gserviceaccount.com` */
  serviceAccountId: string;
  role: string;
  member: string;
}

export interface DataProductObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: DataProductSpec;
}

/**
 * `spec` of a DataProduct: the XRD's openAPIV3Schema (crossplane/definition.yaml) is exactly this
 * (test/crossplane/spec-type.test.ts holds the two to the same fields).
 */
export interface DataProductSpec {
  product: { id: string; urn: string; businessDomain: string; domainType: DomainType };
  project: string;
  location: string;
  /** Datasets are kept on delete (Crossplane management policies without Delete). */
  protect: boolean;
  /** One per layer the product declares, in medallion order. */
  datasets: DataProductDataset[];
  /** `accountId` is also the account's `crossplane.io/external-name`; `adopted`: it existed before meshform (`gcp.adopt`), never deleted. */
  serviceAccount: { accountId: string; displayName: string; email: string; adopted?: boolean };
  /** Members given roles/iam.serviceAccountTokenCreator on the product's service account. */
  owners: string[];
}

export interface DataProductDataset {
  layer: Layer;
  /** Also the dataset's `crossplane.io/external-name`: an existing dataset of that id is observed and taken over. */
  datasetId: string;
  /** The dataset existed before meshform (`gcp.adopt`): the Composition never deletes it. Absent: meshform creates it. */
  adopted?: boolean;
  labels: Record<string, string>;
  /** Members given roles/bigquery.dataViewer on this dataset (only the curated layer has any). */
  viewers: string[];
}

interface ResourceOf<K extends string, P> {
  kind: K;
  /** Unique within the plan, stable across runs; used as the Pulumi resource name. */
  name: string;
  /** Id of the product the resource belongs to. */
  product: string;
  properties: P;
}

export type KafkaTopic = ResourceOf<'kafka:Topic', KafkaTopicProps>;
export type KafkaAcl = ResourceOf<'kafka:Acl', KafkaAclProps>;
export type KafkaQuota = ResourceOf<'kafka:Quota', KafkaQuotaProps>;
export type SchemaSubject = ResourceOf<'schema:Subject', SchemaSubjectProps>;
/**
 * A resource that may exist already (`gcp.adopt` in the mesh file): `import` is its id in the format
 * @pulumi/gcp documents for importing it (`projects/<project>/datasets/<datasetId>`,
 * `projects/<project>/serviceAccounts/<email>`). The Pulumi program registers it with the `import`
 * resource option, so the first `pulumi up` imports it instead of creating it; `meshform plan` says
 * "import". Absent: meshform creates it.
 */
interface Importable {
  import?: string;
}

export type Dataset = ResourceOf<'gcp:bigquery:Dataset', DatasetProps> & Importable;
export type ServiceAccount = ResourceOf<'gcp:serviceaccount:Account', ServiceAccountProps> & Importable;
export type DatasetIamMember = ResourceOf<'gcp:bigquery:DatasetIamMember', DatasetIamMemberProps>;
export type ServiceAccountIamMember = ResourceOf<'gcp:serviceaccount:IAMMember', ServiceAccountIamMemberProps>;
export type CrossplaneDataProduct = ResourceOf<'crossplane:DataProduct', DataProductObject>;

export type Resource =
  | KafkaTopic
  | KafkaAcl
  | KafkaQuota
  | SchemaSubject
  | Dataset
  | ServiceAccount
  | DatasetIamMember
  | ServiceAccountIamMember
  | CrossplaneDataProduct;

export type ResourceKind = Resource['kind'];

/** What a product adopted from an existing estate, as the reconcile scope needs it (names it may touch). */
export interface PlannedAdoption {
  topics: Array<{ name: string; visibility: Visibility }>;
  /** The product's principals (instead of the stack's template), limits left out. */
  principals: string[];
  /** Consumer group claims: `x`, or `x*` for every group starting with x. */
  groups: string[];
  transactionalIds: string[];
}

/** Summary of a product in the plan output. */
export interface PlannedProduct {
  id: string;
  urn: string;
  businessDomain: string;
  file: string;
  owners: string[];
  topics: string[];
  consumes: string[];
  /** Only for a product that adopts names of an existing estate (`x-meshform.adopt`). */
  adopted?: PlannedAdoption;
  /** Other products' topics it sends to under their owners' `grant-write:` (input topics). */
  produces: string[];
}

export interface Plan {
  stack: string;
  products: PlannedProduct[];
  /** Ordered by product, then kind, then name. */
  resources: Resource[];
}
