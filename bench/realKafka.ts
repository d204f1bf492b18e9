/**
 * Kafka reconcile on real Apache Kafka (the `kafka` peer, one broker, SASL/PLAIN + StandardAuthorizer):
 * meshform's first apply and no-op re-run of a generated mesh, next to the baseline that per-topic
 * tools use (kafkajs admin: one createTopics call per topic, one createAcls call per product) on a
 * fresh broker of the same kind. Requests are counted by a TCP proxy in front of the broker (every
 * request on the wire, SASL handshake included). Size: MESHFORM_BENCH_REAL_PRODUCTS products x 10
 * topics (default 250 x 10 = 2,500 topics).
 */
import { Kafka, logLevel, type AclEntry } from 'kafkajs';
import { OwnershipScope, reconcileKafka, type KafkaConnection, type KafkaReport, plainLogin } from '../src/adapters/kafka';
import { toWireAcl } from '../src/adapters/kafka/client/wire';
import { planMesh } from '../src/plan';
import type { KafkaAclProps, KafkaTopicProps, Resource } from '../src/plan/types';
import { startKafkaCluster, type KafkaCluster } from '@meshform/peers/src/kafka-cluster';
import { peerStatus } from '@meshform/peers/src/status';
import { stack as stackWith } from '../test/support/stack';
import { MUTATING_APIS, apiName, readsOnce } from '../test/support/mutating-apis';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy';
import { benchMeshModel } from './kafka';

const PRODUCTS = Number(process.env.MESHFORM_BENCH_REAL_PRODUCTS ?? 250);
const TOPICS_PER_PRODUCT = 10;
const HEAP_MB = 512;
const ADMIN = { username: 'admin', password: 'bench-secret' };

/** One partition, one replica: one broker holds it, and both sides create the same partitions. */
const stack = stackWith({
  name: 'bench',
  environment: 'bench',
  gcp: { project: 'bench' },
  kafka: { defaultReplicas: 1, defaultPartitions: 1, connection: { clientId: 'meshform-bench' } },
});

interface Measured<T> {
  ms: number;
  value: T;
  requests: Record<string, number>;
}

async function measured<T>(proxy: TcpProxy, work: () => Promise<T>): Promise<Measured<T>> {
  proxy.resetRequests();
  const t0 = process.hrtime.bigint();
  const value = await work();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const byName = Object.fromEntries([...proxy.requests()].map(([key, n]) => [apiName(key), n]));
  return { ms, value, requests: byName };
}

function requestLine(requests: Record<string, number>): string {
  const total = Object.values(requests).reduce((a, b) => a + b, 0);
  const mutating = Object.entries(requests).filter(([api]) => MUTATING_APIS.includes(api)).reduce((n, [, c]) => n + c, 0);
  const byApi = Object.entries(requests).sort(([a], [b]) => (a < b ? -1 : 1)).map(([api, n]) => `${api} ${n}`).join(', ');
  return `${total} requests (${mutating} mutating): ${byApi}`;
}

async function startBroker(home: string): Promise<{ cluster: KafkaCluster; proxy: TcpProxy; connection: KafkaConnection }> {
  const cluster = await startKafkaCluster(home, { saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'], heapMb: HEAP_MB });
  const proxy = await startTcpProxy(cluster.bootstrap);
  return { cluster, proxy, connection: { brokers: [proxy.address], clientId: 'meshform-bench', tls: false, sasl: plainLogin(ADMIN) } };
}

function kafkajs(connection: KafkaConnection): Kafka {
  return new Kafka({ brokers: connection.brokers, clientId: 'per-topic-baseline', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...ADMIN } });
}

/** Topics on the cluster afterwards, as kafkajs lists them. */
async function topicCount(connection: KafkaConnection): Promise<number> {
  const admin = kafkajs(connection).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => !t.startsWith('__')).length;
  } finally {
    await admin.disconnect();
  }
}

export async function benchRealKafka(): Promise<void> {
  const status = peerStatus('kafka');
  console.log('\n== Kafka reconcile on real Apache Kafka ==');
  if (!status.home) {
    console.log(`skipped: ${status.missing}`);
    return;
  }
  const mesh = benchMeshModel(PRODUCTS, TOPICS_PER_PRODUCT);
  const plan = planMesh(mesh, stack);
  const kafka: Resource[] = plan.resources.filter((r) => r.kind === 'kafka:Topic' || r.kind === 'kafka:Acl');
  const topics = kafka.filter((r) => r.kind === 'kafka:Topic').map((r) => r.properties as KafkaTopicProps);
  const ids = mesh.products.map((p) => p.id);
  console.log(`mesh: ${ids.length} products, ${topics.length} topics (1 partition each), ${kafka.length - topics.length} ACLs; Kafka ${status.version}, one broker, -Xmx${HEAP_MB}m, SASL/PLAIN + StandardAuthorizer`);
  const request = { resources: kafka, scope: OwnershipScope.ofProducts(ids, stack.kafka.principalTemplate), permissions: { allowDelete: false, allowDeletePrivate: false }, mode: 'apply' as const };

  // meshform
  let broker = await startBroker(status.home);
  let meshformMs: number;
  try {
    const first = await measured(broker.proxy, () => reconcileKafka(broker.connection, request));
    check(first.value, 'first apply');
    meshformMs = first.ms;
    console.log(`meshform first apply:   ${(first.ms / 1000).toFixed(2).padStart(8)} s  ${requestLine(first.requests)}`);
    const noop = await measured(broker.proxy, () => reconcileKafka(broker.connection, request));
    console.log(`meshform no-op re-run:  ${(noop.ms / 1000).toFixed(2).padStart(8)} s  ${requestLine(noop.requests)}`);
    const total = Object.values(noop.requests).reduce((a, b) => a + b, 0);
    const unchanged = noop.value.summary.unchanged === kafka.length;
    console.log(`  no-op: ${total} requests incl. the SASL handshake; ${readsOnce(noop.requests)}; every product unchanged: ${unchanged ? 'OK' : 'MISSED'}`);
    console.log(`  topics on the broker (kafkajs): ${await topicCount(broker.connection)}`);
  } finally {
    await broker.proxy.close();
    await broker.cluster.stop();
  }

  // The per-topic baseline on a fresh broker of the same kind.
  broker = await startBroker(status.home);
  try {
    const admin = kafkajs(broker.connection).admin();
    // kafkajs sends admin writes to the broker's advertised address, past the proxy: count its requests itself.
    const sent: Record<string, number> = {};
    admin.on(admin.events.REQUEST, (e) => void (sent[e.payload.apiName] = (sent[e.payload.apiName] ?? 0) + 1));
    const baseline = await measured(broker.proxy, async () => {
      await admin.connect();
      for (const t of topics) {
        // kafkajs waits for each topic's leader (5 s by default; a loaded broker can take longer).
        await admin.createTopics({
          timeout: 60_000,
          topics: [{ topic: t.topic, numPartitions: t.partitions, replicationFactor: t.replicas, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) }],
        });
      }
      for (const id of ids) {
        const acls = kafka.filter((r) => r.kind === 'kafka:Acl' && r.product === id).map((r) => toWireAcl(r.properties as KafkaAclProps) as AclEntry);
        if (acls.length) await admin.createAcls({ acl: acls });
      }
      await admin.disconnect();
    });
    console.log(`per-topic baseline:     ${(baseline.ms / 1000).toFixed(2).padStart(8)} s  ${requestLine(sent)} (counted by kafkajs's request events)`);
    console.log(`  (kafkajs admin: one createTopics per topic, one createAcls per product; topics on the broker: ${await topicCount(broker.connection)})`);
    const ratio = baseline.ms / meshformMs;
    console.log(`speed-up, first apply:  ${ratio.toFixed(1)}x  (target >= 20x) ${ratio >= 20 ? 'OK' : 'MISSED'}`);
  } finally {
    await broker.proxy.close();
    await broker.cluster.stop();
  }
}

function check(report: KafkaReport, what: string): void {
  const s = report.summary;
  if (s.failed > 0 || s.refused > 0) {
    const bad = report.resources.filter((r) => r.state === 'FAILED' || r.state === 'REFUSED').slice(0, 3);
    throw new Error(`bench: ${what}: ${s.failed} failed, ${s.refused} refused, e.g. ${bad.map((r) => `${r.name}: ${r.error ?? r.reason}`).join('; ')}`);
  }
}
