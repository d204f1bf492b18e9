/**
 * A product's Kafka topics and ACLs as one Pulumi dynamic resource, reconciled by the same engine
 * as `meshform kafka apply` (why one resource per product, not per topic: ARCHITECTURE.md).
 *
 * Inputs hold the desired topics and ACLs as maps keyed by name, so `pulumi preview` lists each
 * topic and ACL that changes; no connection setting or secret is an input (the provider reads the
 * stack's config, see kafka-provider.ts).
 *
 * The provider serialized into the state is a shell (provider-shell.ts) that loads
 * `meshform/pulumi/kafka-provider` by package name where the engine runs it.
 */
import * as pulumi from '@pulumi/pulumi';
import { compareText } from '../../compare';
import { productPrincipal } from '../../plan/principal';
import { inNamespace, namespaceCandidates } from '../../vocabulary/topic-names';
import type { KafkaTopicProps, Resource } from '../../plan/types';
import type { StackConfig } from '../../stack/types';
import { encodeAcl, type KafkaProductInputs, type KafkaProductOutputs } from './kafka-provider';
import type { KafkaRegistrationOptions } from './kafka-seam';
import { providerByPackageName } from './provider-shell';

export type { KafkaProductInputs, KafkaProductOutputs };

export const KAFKA_PRODUCT_TYPE = 'pulumi-nodejs:dynamic/meshform:KafkaProduct';

/** The serialized shell (provider-shell.ts): the implementation is kafka-provider.ts, loaded by package name. */
export const kafkaProvider = providerByPackageName<KafkaProductInputs, KafkaProductOutputs>('kafka-provider');

/** The inputs of a product's Kafka resource: plan resources -> name-keyed maps, no connection, no secrets. */
export function kafkaInputs(
  product: string,
  resources: readonly Resource[],
  stack: StackConfig,
  consumers: ReadonlyMap<string, readonly string[]> = new Map(),
): KafkaProductInputs {
  const topics: Record<string, KafkaTopicProps> = {};
  const acls: Record<string, string> = {};
  for (const r of resources) {
    if (r.kind === 'kafka:Topic') topics[r.properties.topic] = r.properties;
    else if (r.kind === 'kafka:Acl') acls[r.name] = encodeAcl(r.properties);
  }
  return {
    product,
    principal: productPrincipal(product, stack),
    topics,
    acls,
    allowDelete: stack.kafka.allowDelete,
    allowDeletePrivate: stack.kafka.allowDeletePrivate,
    allowBreaking: stack.kafka.allowBreaking,
    consumedBy: consumedBy(product, consumers),
  };
}

/** Consumers of the topics under the product's own prefixes (`<id>._public.` ...), other than itself. */
function consumedBy(product: string, consumers: ReadonlyMap<string, readonly string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [topic, list] of consumersByOwner(consumers).get(product) ?? []) {
    const others = list.filter((c) => c !== product);
    if (others.length) out[topic] = [...others];
  }
  return out;
}

/**
 * The mesh-wide consumers map grouped once by the product that owns each topic (in text order),
 * instead of a pass over every topic for each of the mesh's products. A topic's possible owners
 * are its namespace candidates, each checked by the reconcile scope's rule (`inNamespace`).
 */
const byOwner = new WeakMap<ReadonlyMap<string, readonly string[]>, Map<string, [string, readonly string[]][]>>();
function consumersByOwner(consumers: ReadonlyMap<string, readonly string[]>): Map<string, [string, readonly string[]][]> {
  let grouped = byOwner.get(consumers);
  if (grouped) return grouped;
  grouped = new Map();
  for (const [topic, list] of [...consumers].sort(([a], [b]) => compareText(a, b))) {
    for (const candidate of new Set(namespaceCandidates(topic))) {
      if (!inNamespace(candidate, topic)) continue;
      const owned = grouped.get(candidate) ?? [];
      owned.push([topic, list]);
      grouped.set(candidate, owned);
    }
  }
  byOwner.set(consumers, grouped);
  return grouped;
}

export class KafkaProduct extends pulumi.dynamic.Resource {
  declare readonly lastApply: pulumi.Output<string>;

  constructor(name: string, inputs: KafkaProductInputs, opts?: pulumi.CustomResourceOptions) {
    super(kafkaProvider, name, { ...inputs, lastApply: undefined }, opts, 'meshform', 'KafkaProduct');
  }
}

/** Called by the `meshform:mesh:DataProduct` component for each product with Kafka resources. */
export function registerKafka(product: string, resources: Resource[], opts: KafkaRegistrationOptions): KafkaProduct {
  const inputs = kafkaInputs(product, resources, opts.stack, opts.consumers);
  return new KafkaProduct(`${product}-kafka`, inputs, { parent: opts.parent, protect: opts.stack.protect });
}
