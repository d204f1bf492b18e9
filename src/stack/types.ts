/**
 * Stack settings: `stacks/Pulumi.<stack>.yaml`, keys under `meshform:`. One stack = one environment.
 * `stack/load.ts` reads and checks them; every key is documented in docs/stacks.md.
 */
import type { Compatibility } from '../schemas/types';
import type { Quotas } from '../vocabulary/mesh';
import type { Secret } from '../vocabulary/secret';
/** The SASL mechanisms meshform speaks (kafka-connection.ts lists them as SASL_MECHANISMS). */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConnectionSettings {
  /** `host:port,host:port`; env MESHFORM_KAFKA_BOOTSTRAP overrides. */
  bootstrap?: string;
  clientId: string;
  tls: boolean;
  /** Env MESHFORM_KAFKA_SASL_MECHANISM overrides. */
  saslMechanism?: SaslMechanism;
  /** Env MESHFORM_KAFKA_USERNAME / MESHFORM_KAFKA_PASSWORD, or Pulumi secret config. Never printed. */
  username?: string;
  password?: Secret;
}

export interface SchemaRegistrySettings {
  /** Base URL of the Confluent Schema Registry API, e.g. `http://registry:8081` or Apicurio's `.../apis/ccompat/v7`. */
  url?: string;
  username?: string;
  password?: Secret;
}

export interface StackConfig {
  /** Stack name, e.g. `dev`. */
  name: string;
  /** Environment label value (`meshform:environment`, default the stack name). */
  environment: string;
  gcp: {
    project: string;
    /** Default BigQuery location for products that set none. */
    location: string;
    /** IAM member given dataViewer on curated datasets of products with public topics, e.g. `domain:acme.com`. */
    publicReaders?: string;
  };
  kafka: {
    /** Principal for a product; `{domain}` is replaced by the product id. Default `User:{domain}`. */
    principalTemplate: string;
    defaultPartitions: number;
    defaultReplicas: number;
    /** Replicas are capped at this (small dev clusters). */
    replicasCap?: number;
    /** Partitions are multiplied by this and rounded up, at least 1 (e.g. 0.25 for dev). */
    partitionFactor: number;
    quotas: {
      /** Client quotas of products that set none of a key (`meshform:quotaProducerByteRate`, ...). */
      defaults: Quotas;
      /** Byte-rate quotas are multiplied by this (rounded, at least 1); a request share is not scaled. */
      factor: number;
    };
    /** Allow the Kafka reconcile to delete topics/ACLs the specs no longer declare. */
    allowDelete: boolean;
    /** Second, separate permission for deleting `_private` topics. */
    allowDeletePrivate: boolean;
    /** Third permission: delete topics that other products in the mesh still consume. */
    allowBreaking: boolean;
    connection: KafkaConnectionSettings;
  };
  crossplane: {
    /** Crossplane mode (`meshform:crossplane: true` or `gitops`): one DataProduct per product instead of the GCP resources. */
    enabled: boolean;
    /**
     * Who applies the DataProducts: `pulumi` (`true`: the program registers them) or `gitops`
     * (`meshform crossplane render` writes them for Argo CD / Flux; the program registers the
     * Kafka and schema resources only, so Pulumi's state holds no DataProduct).
     */
    delivery: 'pulumi' | 'gitops';
    namespace: string;
  };
  schemas: {
    /** Compatibility level of subjects whose channel sets none (`meshform:schemaCompatibility`, default BACKWARD). */
    compatibility: Compatibility;
    /** Where the Confluent-compatible registry is; env MESHFORM_SCHEMA_REGISTRY_* overrides. Credentials never printed. */
    registry: SchemaRegistrySettings;
  };
  /** Protect stateful resources (datasets, topics) from deletion in Pulumi. Default on for `prod`. */
  protect: boolean;
  /** Where the specs are, relative to the project root (`meshform:specs`, default `specs`). */
  specs: string;
  /**
   * The products this stack manages (`meshform:domains`, `meshform:products`), so that a large mesh
   * runs as several stacks; absent: every product of the mesh. See `stackSelects` (plan/select.ts).
   */
  selection?: StackSelection;
}

export interface StackSelection {
  /** Business domains (a product id minus its last segment, `acme.retail`): products exactly in them. */
  domains: string[];
  /** Product ids or dotted prefixes (`acme.retail` for every `acme.retail.*`), as `--product` takes them. */
  products: string[];
}
