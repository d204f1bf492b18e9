/**
 * What is on a cluster, as kafkajs's public admin API reports it: the independent oracle of the
 * engine tests (never meshform's own wire client). Also the out-of-band changes a human or another
 * tool makes (drift), and the wipe between tests on a shared cluster.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, Kafka, logLevel, ResourcePatternTypes, type Admin, type KafkaConfig } from 'kafkajs';
import type { KafkaConnection } from '../../src/adapters/kafka';
import { KAFKAJS_ANY_ACL, aclToKafkajs, aclsFromKafkajs, sortAcls, type NamedAcl } from '@meshform/peers/testing/clients/acl-names';

/**
 * Products made out of band, as another tool would: per product a topic `<id>._public.x` (the
 * i-th with i + 1 partitions and retention.ms (i + 1) * 1000), and per id in `products` and
 * `others` an ALLOW WRITE binding for `User:<id>` on the PREFIXED topic name `<id>.`.
 */
export async function makeProductsOutOfBand(admin: Admin, products: readonly string[], others: readonly string[] = []): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: products.map((p, i) => ({ topic: `${p}._public.x`, numPartitions: i + 1, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: String(1000 * (i + 1)) }] })),
  });
  await admin.createAcls({
    acl: [...products, ...others].map((p) => ({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: `${p}.`,
      resourcePatternType: ResourcePatternTypes.PREFIXED,
      principal: `User:${p}`,
      host: '*',
      operation: AclOperationTypes.WRITE,
      permissionType: AclPermissionTypes.ALLOW,
    })),
  });
}

/** kafkajs's ConfigSource for "set on the topic" (TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1;

export interface Observed {
  /** Non-internal topics with partition count and replication factor. */
  topics: Map<string, { partitions: number; replicas: number }>;
  /** Configs set on each topic (source TOPIC_CONFIG), by topic. */
  configs: Record<string, Record<string, string>>;
  /** Every ACL binding, sorted. */
  acls: NamedAcl[];
}

/** A kafkajs client for the connection; with TLS, trusting `ca` (a PEM) instead of the system's store. */
export function kafkajsFor(connection: KafkaConnection, ca?: string): Kafka {
  const config: KafkaConfig = { brokers: connection.brokers, clientId: 'oracle-kafkajs', logLevel: logLevel.NOTHING, retry: { retries: 2 } };
  if (connection.sasl) config.sasl = { mechanism: 'plain', username: connection.sasl.username, password: connection.sasl.password.reveal() };
  if (connection.tls) config.ssl = ca ? { ca: [ca] } : true;
  return new Kafka(config);
}

export async function withAdmin<T>(connection: KafkaConnection, work: (admin: Admin) => Promise<T>, ca?: string): Promise<T> {
  const admin = kafkajsFor(connection, ca).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The ACL bindings on TOPIC __meshform_lease (the cluster's lease, src/adapters/kafka/engine/lease.ts). */
export function leaseAcls(connection: KafkaConnection): Promise<NamedAcl[]> {
  return withAdmin(connection, async (admin) =>
    sortAcls(aclsFromKafkajs(await admin.describeAcls({ ...KAFKAJS_ANY_ACL, resourceType: AclResourceTypes.TOPIC, resourceName: '__meshform_lease', resourcePatternType: ResourcePatternTypes.LITERAL }))),
  );
}

export function observe(connection: KafkaConnection): Promise<Observed> {
  return withAdmin(connection, async (admin) => {
    const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    const topics = new Map<string, { partitions: number; replicas: number }>();
    const configs: Record<string, Record<string, string>> = {};
    if (names.length > 0) {
      for (const t of (await admin.fetchTopicMetadata({ topics: names })).topics) {
        topics.set(t.name, { partitions: t.partitions.length, replicas: t.partitions[0]?.replicas.length ?? 0 });
      }
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) });
      for (const r of described.resources) {
        configs[r.resourceName] = Object.fromEntries(r.configEntries.filter((e) => e.configSource === TOPIC_CONFIG_SOURCE).map((e) => [e.configName, e.configValue]));
      }
    }
    const acls = aclsFromKafkajs(await admin.describeAcls(KAFKAJS_ANY_ACL));
    return { topics: new Map([...topics].sort(([a], [b]) => (a < b ? -1 : 1))), configs, acls };
  });
}

/** A binding as the tests write it by hand: ALLOW from any host, TOPIC LITERAL unless said. */
export function binding(principal: string, operation: string, name: string, extra: Partial<NamedAcl> = {}): NamedAcl {
  return { principal, host: '*', operation, permission: 'ALLOW', resourceType: 'TOPIC', name, pattern: 'LITERAL', ...extra };
}

export { sortAcls };

/**
 * Polls `seen` until it holds: a real broker answers an admin write once the controller committed
 * it and serves reads from its own metadata a moment later, so an out-of-band change is waited for
 * before the engine looks.
 */
async function until(what: string, seen: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await seen()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not visible after 10 s`);
}

/** Out of band, as a human with kafka-configs would: kafkajs's alterConfigs replaces the topic's whole set. */
export async function setTopicConfigOutOfBand(connection: KafkaConnection, topic: string, configs: Record<string, string>): Promise<void> {
  await withAdmin(connection, (admin) =>
    admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    }),
  );
  await until(`configs of ${topic}`, async () => JSON.stringify(sortedObject((await observe(connection)).configs[topic] ?? {})) === JSON.stringify(sortedObject(configs)));
}

export async function growPartitionsOutOfBand(connection: KafkaConnection, topic: string, count: number): Promise<void> {
  await withAdmin(connection, (admin) => admin.createPartitions({ topicPartitions: [{ topic, count }] }));
  await until(`${count} partitions of ${topic}`, async () => (await observe(connection)).topics.get(topic)?.partitions === count);
}

/** Out of band, as another tool would have made them (kafkajs's admin), and waited for. */
export async function createAclsOutOfBand(connection: KafkaConnection, acls: NamedAcl[]): Promise<void> {
  await withAdmin(connection, (admin) => admin.createAcls({ acl: acls.map(aclToKafkajs) }));
  await until('the created ACLs', async () => {
    const seen = new Set((await observe(connection)).acls.map((a) => JSON.stringify(a)));
    return acls.every((a) => seen.has(JSON.stringify(a)));
  });
}

export async function deleteAclOutOfBand(connection: KafkaConnection, acl: NamedAcl): Promise<void> {
  await withAdmin(connection, (admin) => admin.deleteAcls({ filters: [aclToKafkajs(acl)] }));
  await until('the deleted ACL', async () => !(await observe(connection)).acls.some((a) => JSON.stringify(a) === JSON.stringify(acl)));
}

function sortedObject(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Removes every topic and ACL, so the next test on a shared cluster starts from an empty one. */
export async function wipe(connection: KafkaConnection): Promise<void> {
  await withAdmin(connection, async (admin) => {
    await admin.deleteAcls({ filters: [KAFKAJS_ANY_ACL] });
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30000 });
    for (let i = 0; i < 100; i++) {
      if ((await admin.listTopics()).every((t) => t.startsWith('__'))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('topics still listed 10 s after deleting them');
  });
}
