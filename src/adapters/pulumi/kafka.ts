/**
 * A product's Kafka topics and ACLs as one Pulumi dynamic resource, reconciled by the same engine
 * as `meshform kafka apply` (why one resource per product, not per topic: ARCHITECTURE.md).
 *
 * Inputs hold the desired topics and ACLs as maps keyed by topic and by ACL resource pattern, in
 * the compact text of kafka-state.ts, so `pulumi preview` lists each topic and ACL pattern that
 * changes; no connection setting or secret is an input (the provider reads the stack's config, see
 * kafka-provider.ts).
 *
 * The provider kept in the state is a shell (provider-shell.ts) that loads
 * `meshform/pulumi/kafka-provider` by package name where the engine runs it.
 */
import * as pulumi from '@pulumi/pulumi';
import { compareText } from '../../compare';
import { productPrincipal } from '../../plan/principal';
import { inNamespace, namespaceCandidates } from '../../vocabulary/topic-names';
import type { KafkaAclProps, KafkaTopicProps, PlannedAdoption, Resource } from '../../plan/types';
import type { Quotas } from '../../vocabulary/mesh';
import type { StackConfig } from '../../stack/types';
import type { KafkaProductInputs, KafkaProductOutputs, StoredKafkaInputs } from './kafka-provider';
import type { KafkaRegistrationOptions } from './kafka-seam';
import { encodeAcls, encodeTopics, storeInputs } from './kafka-state';
import { ShellResource } from './provider-shell';

export type { KafkaProductInputs, KafkaProductOutputs, StoredKafkaInputs };

export const KAFKA_PRODUCT_TYPE = 'pulumi-nodejs:dynamic/meshform:KafkaProduct';

/**
 * The inputs of a product's Kafka resource: plan resources -> name-keyed maps, no connection, no
 * secrets; in the form state keeps them (kafka-state.ts's storeInputs: names relative to the product,
 * `~._public.orders`; each topic with its readers; the delete permissions as `flags`).
 */
export function kafkaInputs(
  product: string,
  resources: readonly Resource[],
  stack: StackConfig,
  consumers: ReadonlyMap<string, readonly string[]> = new Map(),
  adopted?: PlannedAdoption,
): StoredKafkaInputs {
  const topics: KafkaTopicProps[] = [];
  const acls: KafkaAclProps[] = [];
  let quotas: Quotas | undefined;
  for (const r of resources) {
    if (r.kind === 'kafka:Topic') topics.push(r.properties);
    else if (r.kind === 'kafka:Acl') acls.push(r.properties);
    else if (r.kind === 'kafka:Quota') quotas = r.properties.quotas;
  }
  const adoptedTopics = new Set(adopted?.topics.map((t) => t.name));
  const consumes = consumesOf(product, consumers).filter((topic) => !adoptedTopics.has(topic));
  const principal = productPrincipal(product, stack);
  // As state keeps them (kafka-state.ts's storeInputs): readers with their topic, the owner's bindings as `ownerAcls`, flags.
  return storeInputs({
    product,
    principal,
    topics: encodeTopics(topics),
    acls: encodeAcls(acls),
    ...(quotas && { quotas }),
    allowDelete: stack.kafka.allowDelete,
    allowDeletePrivate: stack.kafka.allowDeletePrivate,
    allowBreaking: stack.kafka.allowBreaking,
    consumedBy: consumedBy(product, consumers, adoptedTopics),
    // Only on products that adopt names: other products' inputs stay as they were.
    ...(adopted && { adopted }),
    ...(consumes.length > 0 && { consumes }),
  }) as unknown as StoredKafkaInputs;
}

/** Topics of other products that the product receives from (the consumers map inverted once, by consumer). */
const byConsumer = new WeakMap<ReadonlyMap<string, readonly string[]>, Map<string, string[]>>();
function consumesOf(product: string, consumers: ReadonlyMap<string, readonly string[]>): string[] {
  let inverted = byConsumer.get(consumers);
  if (!inverted) {
    inverted = new Map();
    for (const [topic, list] of [...consumers].sort(([a], [b]) => compareText(a, b))) {
      for (const c of list) inverted.set(c, [...(inverted.get(c) ?? []), topic]);
    }
    byConsumer.set(consumers, inverted);
  }
  return (inverted.get(product) ?? []).filter((topic) => !inNamespace(product, topic));
}

/** Consumers of the topics under the product's own prefixes (`<id>._public.` ...), other than itself. */
function consumedBy(product: string, consumers: ReadonlyMap<string, readonly string[]>, adoptedTopics: ReadonlySet<string> = new Set()): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const owned = [...(consumersByOwner(consumers).get(product) ?? [])];
  // Topics it adopted are its too, outside its namespace.
  for (const topic of [...adoptedTopics].sort(compareText)) owned.push([topic, consumers.get(topic) ?? []]);
  for (const [topic, list] of owned) {
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

export class KafkaProduct extends ShellResource {
  constructor(name: string, inputs: StoredKafkaInputs, opts?: pulumi.CustomResourceOptions) {
    super('KafkaProduct', 'kafka-provider', name, { ...inputs }, opts);
  }
}

export type { KafkaProductOutputs as KafkaProductState };

/** Called by the `meshform:mesh:DataProduct` component for each product with Kafka resources. */
export function registerKafka(product: string, resources: Resource[], opts: KafkaRegistrationOptions): KafkaProduct {
  const inputs = kafkaInputs(product, resources, opts.stack, opts.consumers, opts.adopted);
  return new KafkaProduct(`${product}-kafka`, inputs, { parent: opts.parent, protect: opts.stack.protect });
}
