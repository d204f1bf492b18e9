/**
 * A product's Kafka topics and ACLs as one Pulumi dynamic resource, reconciled by the same engine
 * as `meshform kafka apply` (why one resource per product, not per topic: ARCHITECTURE.md).
 *
 * Inputs hold the desired topics and ACLs as maps keyed by name, so `pulumi preview` lists each
 * topic and ACL that changes; no connection setting or secret is an input (the provider reads the
 * stack's config, see kafka-provider.ts).
 *
 * Pulumi serializes the provider object into the state as source text. The object below is a
 * shell whose methods load the implementation by package name (`meshform/pulumi/kafka-provider`)
 * from the project folder the engine runs the provider in: state holds no path, no TypeScript,
 * and a newer meshform takes effect without a change to any resource.
 */
import * as pulumi from '@pulumi/pulumi';
import { productPrincipal } from '../../plan/principal';
import type { KafkaTopicProps, Resource } from '../../plan/types';
import type { StackConfig } from '../../stack/types';
import { encodeAcl, type KafkaProductInputs, type KafkaProductOutputs } from './kafka-provider';
import type { KafkaRegistrationOptions } from './kafka-seam';

export type { KafkaProductInputs, KafkaProductOutputs };

export const KAFKA_PRODUCT_TYPE = 'pulumi-nodejs:dynamic/meshform:KafkaProduct';

/**
 * Runs inside the dynamic-provider process. Serialized as source, so it may use nothing but
 * `require`, `process` and literals: resolution starts at the project folder (the engine's working
 * directory for the provider), which also finds meshform's own checkout through its package name.
 */
function load(): typeof import('./kafka-provider').provider {
  const { createRequire } = require('node:module');
  const { join } = require('node:path');
  let implementation;
  try {
    implementation = createRequire(join(process.cwd(), 'index.js'))('meshform/pulumi/kafka-provider');
  } catch (e) {
    throw new Error(`meshform's Kafka provider cannot be loaded from ${process.cwd()}: install meshform in the Pulumi project (npm install meshform): ${(e as Error).message}`);
  }
  return implementation.provider;
}

/** The serialized shell: each method delegates to the implementation loaded by package name. */
export const kafkaProvider: pulumi.dynamic.ResourceProvider<KafkaProductInputs, KafkaProductOutputs> = {
  configure: (req) => load().configure(req),
  check: (olds, news) => load().check(olds, news),
  diff: (id, olds, news) => load().diff(id, olds, news),
  create: (inputs) => load().create(inputs),
  read: (id, props) => load().read(id, props),
  update: (id, olds, news) => load().update(id, olds, news),
  delete: (id, props) => load().delete(id, props),
};

/** The inputs of a product's Kafka resource: plan resources -> name-keyed maps, no connection, no secrets. */
export function kafkaInputs(product: string, resources: readonly Resource[], stack: StackConfig): KafkaProductInputs {
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
  };
}

export class KafkaProduct extends pulumi.dynamic.Resource {
  declare readonly lastApply: pulumi.Output<string>;

  constructor(name: string, inputs: KafkaProductInputs, opts?: pulumi.CustomResourceOptions) {
    super(kafkaProvider, name, { ...inputs, lastApply: undefined }, opts, 'meshform', 'KafkaProduct');
  }
}

/** Called by the `meshform:mesh:DataProduct` component for each product with Kafka resources. */
export function registerKafka(product: string, resources: Resource[], opts: KafkaRegistrationOptions): void {
  const inputs = kafkaInputs(product, resources, opts.stack);
  new KafkaProduct(`${product}-kafka`, inputs, { parent: opts.parent, protect: opts.stack.protect });
}
