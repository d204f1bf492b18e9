/**
 * Where Kafka joins a product's component: the Kafka adapter (kafka.ts) exports `registerKafka`.
 * When the stack names no Kafka cluster, a product's kafka:* plan resources are not provisioned by Pulumi.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { PlannedAdoption, Resource } from '../../plan/types';
import type { StackConfig } from '../../stack/types';

export interface KafkaRegistrationOptions {
  /** The product's `meshform:mesh:DataProduct` component: parent of every Kafka resource. */
  parent: pulumi.Resource;
  /**
   * Settings as the Pulumi runtime holds them: `kafka.connection.username/password` are the
   * decrypted values of Pulumi secret config. Wrap them with `pulumi.secret` before they reach any
   * resource input, and never put them in outputs.
   */
  stack: StackConfig;
  /** Topic -> products in the mesh that receive from it: a consumed topic is not deleted without allowBreaking. */
  consumers?: ReadonlyMap<string, readonly string[]>;
  /** What the product adopted from an existing estate (names its resource may touch). */
  adopted?: PlannedAdoption;
}

/** Registers the product's Kafka resources; returns what it registered (the program waits for the engine's answer). */
export type RegisterKafka = (product: string, resources: Resource[], opts: KafkaRegistrationOptions) => pulumi.Resource | void;

/**
 * The Kafka adapter's hook, or undefined when the stack names no cluster. Loaded on demand so a
 * GCP- or Crossplane-only `pulumi up` never loads the Kafka engine.
 */
export function loadKafkaRegistration(stack: StackConfig): RegisterKafka | undefined {
  if (!stack.kafka.connection.bootstrap) return undefined;
  return (require('./kafka') as typeof import('./kafka')).registerKafka;
}
