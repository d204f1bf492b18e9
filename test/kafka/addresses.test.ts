/**
 * Writes reach the cluster whatever address the bootstrap uses: a name other than the one the
 * brokers advertise (`localhost` vs `127.0.0.1`), a broker that is not the controller, a cluster of
 * three. On the test broker (KRaft-like and ZooKeeper-mode) and on real Kafka (1 and 3 brokers,
 * where Metadata names a random broker as controller). Results are read back with kafkajs.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { plainLogin, type KafkaConnection } from '../../src/adapters/kafka';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { mutationsIn } from '../support/mutating-apis';
import { describeWithRealKafka, REAL_KAFKA_START_MS, startRealKafka } from '@meshform/peers/testing/real-kafka';
import { apply } from './broker';
import { acl, ownerAcl, topic } from './fixtures';

const ADMIN = { username: 'admin', password: 'admin-secret' };
const orders = 'acme.retail.orders';

/** `127.0.0.1:<port>` as `localhost:<port>`: the same broker under a name it does not advertise. */
function viaLocalhost(address: string): string {
  return address.replace(/^127\.0\.0\.1:/, 'localhost:');
}

function connectionTo(bootstrap: string): KafkaConnection {
  return { brokers: [bootstrap], clientId: 'meshform-test', tls: false, sasl: plainLogin(ADMIN) };
}

async function kafkajsAdmin(bootstrap: string): Promise<Admin> {
  const admin = new Kafka({ brokers: [bootstrap], clientId: 'oracle', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...ADMIN } }).admin();
  await admin.connect();
  return admin;
}

/** What kafkajs sees of one topic: partitions, replication factor and the configs set on it. */
async function seen(bootstrap: string, name: string, configKeys: string[]) {
  const admin = await kafkajsAdmin(bootstrap);
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(name)) return undefined;
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [name] })).topics;
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name, configNames: configKeys }] });
    const configs = Object.fromEntries(resources[0].configEntries.filter((e) => !e.isDefault).map((e) => [e.configName, e.configValue]));
    const acls = await admin.describeAcls({ resourceType: 2, resourceName: name, resourcePatternType: 3, operation: 1, permissionType: 1 });
    return { partitions: metadata.partitions.length, replicas: metadata.partitions[0].replicas.length, configs, acls: acls.resources.flatMap((r) => r.acls).length };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every kind of write through `bootstrap`: create (topic + ACLs), add partitions and change a
 * config, delete. Each step must be done, as kafkajs sees it, with nothing FAILED.
 */
async function everyWrite(bootstrap: string, replicas: number, suffix: string): Promise<void> {
  const connection = connectionTo(bootstrap);
  const name = `${orders}._public.placed_${suffix}`;
  const plan = (partitions: number, config: Record<string, string>) => [
    topic(orders, name, partitions, replicas, config),
    ownerAcl(orders, 'WRITE'),
    acl(orders, { principal: 'User:*', resourceName: name }),
  ];

  const created = await apply(connection, [orders], plan(2, { 'retention.ms': '86400000' }));
  expect(created.resources.filter((r) => r.state === 'FAILED').map((r) => r.error)).toEqual([]);
  expect(await seen(bootstrap, name, ['retention.ms'])).toEqual({ partitions: 2, replicas, configs: { 'retention.ms': '86400000' }, acls: 1 });

  const changed = await apply(connection, [orders], plan(4, { 'retention.ms': '3600000' }));
  expect(changed.resources.find((r) => r.topic === name)?.state).toBe('UPDATED');
  expect(await seen(bootstrap, name, ['retention.ms'])).toEqual({ partitions: 4, replicas, configs: { 'retention.ms': '3600000' }, acls: 1 });

  const deleted = await apply(connection, [orders], [], { allowDelete: true });
  expect(deleted.resources.filter((r) => r.state !== 'DELETED')).toEqual([]);
  expect(deleted.summary.delete).toBe(3);
  expect(await seen(bootstrap, name, [])).toBeUndefined();
}

describe('writes through a bootstrap address the brokers do not advertise (test broker)', () => {
  it('one broker reached as localhost while it advertises 127.0.0.1', async () => {
    const broker = await startTestBroker({ brokers: 1, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    try {
      await everyWrite(viaLocalhost(broker.bootstrap), 1, 'single');
    } finally {
      await broker.stop();
    }
  });

  it('three brokers, bootstrap on one that is not the controller: one request per write, on that broker', async () => {
    const cluster = await startTestBroker({ brokers: 3, controller: 2, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    try {
      await everyWrite(viaLocalhost(cluster.brokers[0]), 3, 'kraft');
      // create, add partitions, alter config, create ACLs, delete ACLs, delete topic: nothing sent twice.
      expect(mutationsIn(cluster.stats().requests)).toEqual({ CreateTopics: 1, CreatePartitions: 1, IncrementalAlterConfigs: 1, CreateAcls: 1, DeleteAcls: 1, DeleteTopics: 1 });
    } finally {
      await cluster.stop();
    }
  });

  it('ZooKeeper mode: topic writes refused with NOT_CONTROLLER by the bootstrap broker go to the controller', async () => {
    const cluster = await startTestBroker({ brokers: 3, controller: 2, zookeeperMode: true, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    try {
      await everyWrite(viaLocalhost(cluster.brokers[0]), 3, 'zk');
      // Each of the three applies is one session: its first topic write is refused and repeated at the
      // controller, which the session's later writes then reach directly (ACLs and configs included).
      expect(mutationsIn(cluster.stats().requests)).toEqual({ CreateTopics: 2, CreatePartitions: 2, IncrementalAlterConfigs: 1, CreateAcls: 1, DeleteAcls: 1, DeleteTopics: 2 });
    } finally {
      await cluster.stop();
    }
  });
});

describeWithRealKafka('writes through a bootstrap address the brokers do not advertise (real Kafka)', () => {
  it('one broker reached as localhost while it advertises 127.0.0.1', async () => {
    const kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    try {
      await everyWrite(viaLocalhost(kafka.bootstrap), 1, 'single');
    } finally {
      await kafka.stop();
    }
  }, REAL_KAFKA_START_MS);

  it('three brokers, bootstrap through each of them (the controller Metadata names is random)', async () => {
    const kafka = await startRealKafka({ brokers: 3, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    try {
      for (const [i, broker] of kafka.brokers.entries()) await everyWrite(viaLocalhost(broker), 3, `node${i}`);
    } finally {
      await kafka.stop();
    }
  }, REAL_KAFKA_START_MS);
});
