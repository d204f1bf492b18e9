/**
 * A product's Kafka topics and ACLs as one Pulumi dynamic resource, reconciled by the same engine
 * as `meshform kafka apply` (why one resource per product, not per topic: README.md ("Kafka provisioning")).
 *
 * Inputs hold the desired topics and ACLs as maps keyed by name, so `pulumi preview` lists each
 * topic and ACL that changes. Credentials never enter inputs or state: the provider reads
 * MESHFORM_KAFKA_* from its environment, or the stack's secret config through `configure`.
 * The provider object is serialized into the state; its methods therefore only use what they
 * require at run time (the engine's absolute path, captured as a string).
 */
import * as pulumi from '@pulumi/pulumi';
import type { KafkaAclProps, KafkaTopicProps, Resource } from '../../plan/types';
import { compareText } from '../../compare';
import { productPrincipal } from '../../plan/principal';
import { OwnershipScope } from '../kafka/scope';
import type { KafkaConnectionSettings, StackConfig } from '../../stack/types';
import type { KafkaRegistrationOptions } from './kafka-seam';

const ENGINE = require.resolve('../kafka');

export interface KafkaProductInputs {
  product: string;
  principal: string;
  /** Desired topics by topic name. */
  topics: Record<string, KafkaTopicProps>;
  /** Desired ACL bindings by plan resource name. */
  acls: Record<string, KafkaAclProps>;
  allowDelete: boolean;
  allowDeletePrivate: boolean;
  /** Delete topics other products still consume (the stack's allowBreaking). */
  allowBreaking?: boolean;
  /** The product's topics that other products in the mesh receive from, with those products. */
  consumedBy?: Record<string, string[]>;
  /** Where the cluster is; no secrets (those come from the provider's environment or config). */
  connection: { bootstrap?: string; clientId: string; tls: boolean; saslMechanism?: string };
}

export interface KafkaProductOutputs extends KafkaProductInputs {
  /** `3 created, 0 updated, ...` from the last apply. */
  lastApply: string;
}

export const KAFKA_PRODUCT_TYPE = 'pulumi-nodejs:dynamic/meshform:KafkaProduct';

/** The dynamic provider: check, diff, create, update, delete through the reconcile engine. */
export const kafkaProvider: pulumi.dynamic.ResourceProvider<KafkaProductInputs, KafkaProductOutputs> = {
  async configure(req) {
    // Stack secret config reaches the provider process here, and only lives in its environment.
    const { ENV } = require(ENGINE) as typeof import('../kafka');
    const pairs: [string, string][] = [
      ['meshform:kafkaUsername', ENV.username],
      ['meshform:kafkaPassword', ENV.password],
      ['meshform:kafkaSaslMechanism', ENV.mechanism],
    ];
    for (const [key, env] of pairs) {
      const value = req.config.get(key);
      if (value !== undefined && !process.env[env]) process.env[env] = value;
    }
  },

  async check(olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const [name, topic] of Object.entries(news.topics ?? {})) {
      const old = olds?.topics?.[name];
      if (!old) continue;
      if (topic.partitions < old.partitions) {
        failures.push({ property: `topics`, reason: `REFUSED ${name}: partitions ${old.partitions} -> ${topic.partitions}: Kafka cannot remove partitions; keep ${old.partitions}, or create a new topic and migrate` });
      }
      if (topic.replicas !== old.replicas) {
        failures.push({ property: `topics`, reason: `REFUSED ${name}: replicas ${old.replicas} -> ${topic.replicas}: reassign partitions first (kafka-reassign-partitions), then change the spec` });
      }
    }
    return { inputs: news, failures };
  },

  /**
   * The dynamic-provider protocol has no detailed diff; Pulumi shows the input diff, which names
   * each topic and ACL because they are keyed maps. A product resource is never replaced.
   */
  async diff(_id, olds, news) {
    return { changes: changedKeys(olds, news).length > 0, replaces: [], stables: ['product'], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const lastApply = await reconcileProduct(inputs, false);
    return { id: inputs.product, outs: { ...inputs, lastApply } };
  },

  async update(_id, _olds, news) {
    const lastApply = await reconcileProduct(news, false);
    return { outs: { ...news, lastApply } };
  },

  /** Destroy = apply an empty set, under the same delete permissions as any apply. */
  async delete(_id, props) {
    await reconcileProduct(props, true);
  },
};

/** `topics["<name>"]`, `acls["<name>"]` and top-level fields whose inputs differ: what preview shows. */
export function changedKeys(olds: KafkaProductInputs, news: KafkaProductInputs): string[] {
  const changed: string[] = [];
  for (const field of ['topics', 'acls'] as const) {
    const before: Record<string, unknown> = olds[field] ?? {};
    const after: Record<string, unknown> = news[field] ?? {};
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(`${field}["${key}"]`);
    }
  }
  for (const field of ['allowDelete', 'allowDeletePrivate', 'allowBreaking', 'consumedBy', 'principal', 'connection'] as const) {
    if (JSON.stringify(olds[field]) !== JSON.stringify(news[field])) changed.push(field);
  }
  return changed;
}

/** Runs the engine for one product; a FAILED or REFUSED resource fails the Pulumi operation. */
async function reconcileProduct(inputs: KafkaProductInputs, destroy: boolean): Promise<string> {
  const engine = require(ENGINE) as typeof import('../kafka');
  const resources: Resource[] = destroy
    ? []
    : [
        ...Object.values(inputs.topics).map((properties): Resource => ({ kind: 'kafka:Topic', name: properties.topic, product: inputs.product, properties })),
        ...Object.entries(inputs.acls).map(([name, properties]): Resource => ({ kind: 'kafka:Acl', name, product: inputs.product, properties })),
      ];
  const connection = engine.resolveConnection(
    { bootstrap: inputs.connection.bootstrap, clientId: inputs.connection.clientId, tls: inputs.connection.tls, saslMechanism: inputs.connection.saslMechanism as KafkaConnectionSettings['saslMechanism'] },
    process.env,
  );
  const report = await engine.reconcileKafka(connection, {
    resources,
    scope: new engine.OwnershipScope([inputs.product], new Map([[inputs.product, inputs.principal]])),
    permissions: { allowDelete: inputs.allowDelete, allowDeletePrivate: inputs.allowDeletePrivate, allowBreaking: inputs.allowBreaking ?? false },
    consumers: new Map(Object.entries(inputs.consumedBy ?? {})),
    mode: 'apply',
  });
  const lines = engine.formatReport(report);
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    throw new Error(`meshform kafka (${inputs.product}${destroy ? ', destroy' : ''}):\n${lines.join('\n')}`);
  }
  return lines[lines.length - 1];
}

/** The inputs of a product's Kafka resource: plan resources -> name-keyed maps, no secrets. */
export function kafkaInputs(
  product: string,
  resources: readonly Resource[],
  stack: StackConfig,
  consumers: ReadonlyMap<string, readonly string[]> = new Map(),
): KafkaProductInputs {
  const topics: Record<string, KafkaTopicProps> = {};
  const acls: Record<string, KafkaAclProps> = {};
  for (const r of resources) {
    if (r.kind === 'kafka:Topic') topics[r.properties.topic] = r.properties;
    else if (r.kind === 'kafka:Acl') acls[r.name] = r.properties;
  }
  const c = stack.kafka.connection;
  return {
    product,
    principal: productPrincipal(product, stack),
    topics,
    acls,
    allowDelete: stack.kafka.allowDelete,
    allowDeletePrivate: stack.kafka.allowDeletePrivate,
    allowBreaking: stack.kafka.allowBreaking,
    consumedBy: consumedBy(product, consumers),
    connection: { bootstrap: c.bootstrap, clientId: c.clientId, tls: c.tls, ...(c.saslMechanism ? { saslMechanism: c.saslMechanism } : {}) },
  };
}

/** Consumers of the topics under the product's own prefixes (`<id>._public.` ...), other than itself. */
function consumedBy(product: string, consumers: ReadonlyMap<string, readonly string[]>): Record<string, string[]> {
  const own = new OwnershipScope([product]);
  const out: Record<string, string[]> = {};
  for (const [topic, list] of [...consumers].sort(([a], [b]) => compareText(a, b))) {
    const others = list.filter((c) => c !== product);
    if (others.length && own.ownerOfName(topic) === product) out[topic] = [...others];
  }
  return out;
}

export class KafkaProduct extends pulumi.dynamic.Resource {
  declare readonly lastApply: pulumi.Output<string>;

  constructor(name: string, inputs: KafkaProductInputs, opts?: pulumi.CustomResourceOptions) {
    super(kafkaProvider, name, { ...inputs, lastApply: undefined }, opts, 'meshform', 'KafkaProduct');
  }
}

/** Called by the `meshform:mesh:DataProduct` component for each product with Kafka resources. */
export function registerKafka(product: string, resources: Resource[], opts: KafkaRegistrationOptions): void {
  const inputs = kafkaInputs(product, resources, opts.stack, opts.consumers);
  new KafkaProduct(`${product}-kafka`, inputs, { parent: opts.parent, protect: opts.stack.protect });
}
