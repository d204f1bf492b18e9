/** A SASL test broker with an authorizer and an admin super user, and an engine request for it. */
import { startTestBroker, type TestBroker } from '../../src/test-broker';
import { startMeshKafka, type MeshKafkaBackend } from '../../src/testing';
import { OwnershipScope, reconcileKafka, type KafkaConnection, type KafkaReport } from '../../src/adapters/kafka';
import type { DeletePermissions } from '../../src/adapters/kafka/diff';
import type { Resource } from '../../src/plan/types';

export const ADMIN = { username: 'admin', password: 'admin-secret' };

export async function startAdminBroker(users: Record<string, string> = {}): Promise<{ broker: TestBroker; connection: KafkaConnection }> {
  const broker = await startTestBroker({ brokers: 1, saslUsers: { [ADMIN.username]: ADMIN.password, ...users }, superUsers: ['User:admin'], authorizer: true });
  const connection: KafkaConnection = { brokers: [broker.bootstrap], clientId: 'meshform-test', tls: false, sasl: { mechanism: 'plain', ...ADMIN } };
  return { broker, connection };
}

/** An empty SASL cluster with an authorizer and an admin super user; `broker` (stats, faults) only in-process. */
export interface AdminCluster {
  connection: KafkaConnection;
  broker?: TestBroker;
  stop(): Promise<void>;
}

/**
 * In-process: startAdminBroker. testcontainers: the cp-kafka container of startMeshKafka (SASL/PLAIN,
 * standard authorizer) provisioned from an empty plan, so the cluster starts with no topics and no ACLs.
 */
export async function startAdminCluster(backend: MeshKafkaBackend): Promise<AdminCluster> {
  if (backend === 'in-process') {
    const { broker, connection } = await startAdminBroker();
    return { broker, connection, stop: () => broker.stop() };
  }
  const kafka = await startMeshKafka({ plan: { stack: 'test', products: [], resources: [] }, backend, log: () => undefined });
  const connection: KafkaConnection = { brokers: [kafka.bootstrap], clientId: 'meshform-test', tls: false, sasl: { mechanism: 'plain', ...kafka.admin } };
  return { connection, stop: () => kafka.stop() };
}

export function apply(
  connection: KafkaConnection,
  products: string[],
  resources: Resource[],
  permissions: Partial<DeletePermissions> = {},
  mode: 'plan' | 'apply' = 'apply',
): Promise<KafkaReport> {
  return reconcileKafka(connection, {
    resources,
    scope: OwnershipScope.ofProducts(products, 'User:{domain}'),
    permissions: { allowDelete: false, allowDeletePrivate: false, ...permissions },
    mode,
  });
}

export function states(report: KafkaReport): Record<string, string> {
  return Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r.state]));
}
