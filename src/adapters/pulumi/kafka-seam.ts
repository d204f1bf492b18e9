/**
 * Where Kafka joins a product's component. The Kafka adapter (src/adapters/pulumi/kafka.ts,
 * written with the Kafka reconcile) exports `registerKafka`; until it exists, or when the stack
 * names no Kafka cluster, a product's kafka:* plan resources are simply not provisioned by Pulumi.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { Resource } from '../../plan/types';
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
}

export type RegisterKafka = (product: string, resources: Resource[], opts: KafkaRegistrationOptions) => void;

/** The Kafka adapter's hook, or undefined when it is not built yet or the stack has no cluster. */
export function loadKafkaRegistration(stack: StackConfig): RegisterKafka | undefined {
  if (!stack.kafka.connection.bootstrap) return undefined;
  try {
    require.resolve('./kafka');
  } catch {
    return undefined;
  }
  // Errors inside the module are real failures and propagate.
  const module = require('./kafka') as { registerKafka?: RegisterKafka };
  if (typeof module.registerKafka !== 'function') {
    throw new Error('src/adapters/pulumi/kafka.ts must export registerKafka(product, resources, opts)');
  }
  return module.registerKafka;
}
