/** A SASL test broker with an authorizer and an admin super user, and an engine request for it. */
import { startTestBroker, type TestBroker } from '@meshform/kafka-test-broker';
import { startMeshKafka, type MeshKafkaBackend } from '../../src/testing';
import { KafkaWire, OwnershipScope, reconcileKafka, type KafkaConnection, type KafkaReport, type WireOptions, plainLogin } from '../../src/adapters/kafka';
import { REAL_KAFKA_START_MS, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { wipe } from './oracle';
import type { DeletePermissions } from '../../src/adapters/kafka/engine/diff';
import type { Resource } from '../../src/plan/types';

export const ADMIN = { username: 'admin', password: 'admin-secret' };

export async function startAdminBroker(users: Record<string, string> = {}): Promise<{ broker: TestBroker; connection: KafkaConnection }> {
  const broker = await startTestBroker({ brokers: 1, saslUsers: { [ADMIN.username]: ADMIN.password, ...users }, superUsers: ['User:admin'], authorizer: true });
  return { broker, connection: adminConnection(broker.bootstrap) };
}

/** An empty SASL cluster with an authorizer and an admin super user; `broker` (stats, faults) only in-process. */
export interface AdminCluster {
  connection: KafkaConnection;
  broker?: TestBroker;
  stop(): Promise<void>;
}

/**
 * In-process: startAdminBroker. real: the kafka peer (startRealKafka) with the admin super user.
 * testcontainers: the Kafka container of startMeshKafka (SASL/PLAIN, standard authorizer)
 * provisioned from an empty plan. Each starts with no topics and no ACLs.
 */
export async function startAdminCluster(backend: MeshKafkaBackend): Promise<AdminCluster> {
  if (backend === 'in-process') {
    const { broker, connection } = await startAdminBroker();
    return { broker, connection, stop: () => broker.stop() };
  }
  if (backend === 'real') {
    const kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    return { connection: adminConnection(kafka.bootstrap), stop: () => kafka.stop() };
  }
  const kafka = await startMeshKafka({ plan: { stack: 'test', products: [], resources: [] }, backend, log: () => undefined });
  const connection: KafkaConnection = { brokers: [kafka.bootstrap], clientId: 'meshform-test', tls: false, sasl: plainLogin(kafka.admin) };
  return { connection, stop: () => kafka.stop() };
}

/**
 * What the engine hands a dynamic provider at Configure (the stack's config, secrets decrypted) for
 * the Kafka provider on this broker as ADMIN, with `extra` keys: the argument of `provider.configure`.
 */
export function providerConfig(bootstrap: string, extra: Record<string, string> = {}): { config: { get: (key: string) => string | undefined; require: (key: string) => string } } {
  const config: Record<string, string> = {
    'meshform:gcpProject': 'acme-data-dev',
    'meshform:kafkaBootstrap': bootstrap,
    'meshform:kafkaSaslMechanism': 'plain',
    'meshform:kafkaUsername': ADMIN.username,
    'meshform:kafkaPassword': ADMIN.password,
    ...extra,
  };
  return { config: { get: (key) => config[key], require: (key) => config[key] } };
}

/** The admin super user's connection to a cluster started by the helpers here. */
export function adminConnection(bootstrap: string): KafkaConnection {
  return { brokers: [bootstrap], clientId: 'meshform-test', tls: false, sasl: plainLogin(ADMIN) };
}

export function apply(
  connection: KafkaConnection,
  products: string[],
  resources: Resource[],
  permissions: Partial<DeletePermissions> = {},
  mode: 'plan' | 'apply' = 'apply',
  wireOptions: WireOptions = {},
): Promise<KafkaReport> {
  return reconcileKafka(
    connection,
    {
      resources,
      scope: OwnershipScope.ofProducts(products, 'User:{domain}'),
      permissions: { allowDelete: false, allowDeletePrivate: false, ...permissions },
      mode,
      // The engine's own requests, counted by these suites; the cluster's lease and what it costs: lease.test.ts.
      lease: false,
    },
    wireOptions,
  );
}

/** Requests the engine sends, by API, counted on the client side (real Kafka has no request stats for tests). */
export function requestCounter(): { options: WireOptions; counts: Record<string, number>; reset(): void } {
  const counts: Record<string, number> = {};
  return {
    counts,
    options: { onRequest: (api) => void (counts[api] = (counts[api] ?? 0) + 1) },
    reset: () => Object.keys(counts).forEach((k) => delete counts[k]),
  };
}

export function states(report: KafkaReport): Record<string, string> {
  return Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r.state]));
}

/**
 * The suite's admin cluster on `backend`, for the tests of one describe block: the in-process broker
 * starts in a millisecond, so each test gets a fresh one; a real or container broker is started once
 * for the block and wiped through kafkajs after each test.
 */
export function useAdminCluster(backend: MeshKafkaBackend): () => AdminCluster {
  let cluster: AdminCluster | undefined;
  if (backend === 'in-process') {
    beforeEach(async () => {
      cluster = await startAdminCluster(backend);
    });
    afterEach(() => cluster?.stop());
  } else {
    beforeAll(async () => {
      cluster = await startAdminCluster(backend);
    }, REAL_KAFKA_START_MS);
    afterAll(() => cluster?.stop());
    afterEach(() => cluster && wipe(cluster.connection), 60000);
  }
  return () => {
    if (!cluster) throw new Error(`the ${backend} cluster did not start`);
    return cluster;
  };
}

/**
 * For one describe block: real Kafka (the kafka peer) with the admin super user, a TCP proxy in
 * front of it that counts requests by API key, and a meshform wire through the proxy. `direct`: the
 * admin's connection past the proxy (for oracles), `counted`: requests of one API key since the
 * proxy's last reset.
 */
export function useProxiedRealKafka(): { wire: () => KafkaWire; proxy: () => TcpProxy; direct: () => KafkaConnection; counted: (apiKey: number) => number } {
  let kafka: RealKafka | undefined;
  let proxy: TcpProxy | undefined;
  let wire: KafkaWire | undefined;
  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`] });
    proxy = await startTcpProxy(kafka.bootstrap);
    wire = await KafkaWire.open(adminConnection(proxy.address));
  }, REAL_KAFKA_START_MS);
  afterAll(async () => {
    await wire?.close();
    await proxy?.close();
    await kafka?.stop();
  });
  return { wire: () => wire!, proxy: () => proxy!, direct: () => adminConnection(kafka!.bootstrap), counted: (key) => proxy!.requests().get(key) ?? 0 };
}
