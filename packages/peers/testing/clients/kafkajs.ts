import { Admin, Kafka, SASLOptions, logLevel } from 'kafkajs';
import { KcatMetadata } from './kcat';
import type { SaslLogin } from './python-kafka';
import { PEERS_REQUIRED } from '../peers';

/**
 * A describe block that runs only when every external client it needs is present; otherwise it is
 * skipped with the reason in its name and on the console, so a skip is never silent.
 */
export function describeWithClients(name: string, missing: Array<string | null>, body: () => void): void {
  const reasons = missing.filter((m): m is string => m !== null);
  if (reasons.length === 0) {
    describe(name, body);
    return;
  }
  if (PEERS_REQUIRED) {
    // CI (.ci/run) installs every client: a missing one is a failure there, not a skip.
    describe(name, () => {
      it('needs its independent clients', () => {
        throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${reasons.join('; ')}`);
      });
    });
    return;
  }
  const reason = `skipped: ${reasons.join('; ')}`;
  console.warn(`conformance: ${name} ${reason}`);
  describe.skip(`${name} (${reason})`, body);
}

/** A kafkajs client (quiet, no retries so refusals surface at once) for the same cluster the other clients use. */
export function kafkajsFor(bootstrap: string, sasl?: SaslLogin): Kafka {
  const saslOptions: SASLOptions | undefined = sasl ? { mechanism: 'plain', ...sasl } : undefined;
  return new Kafka({ clientId: 'conformance-kafkajs', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: saslOptions });
}

export async function kafkajsAdmin(bootstrap: string, sasl?: SaslLogin): Promise<Admin> {
  const admin = kafkajsFor(bootstrap, sasl).admin();
  await admin.connect();
  return admin;
}

/** Cluster metadata in one shape whichever client reported it, so the clients can be compared with toEqual. */
export interface ClusterView {
  brokers: Array<{ nodeId: number; address: string }>;
  topics: Array<{ name: string; partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }> }>;
}

function sortedView(view: ClusterView): ClusterView {
  return {
    brokers: [...view.brokers].sort((a, b) => a.nodeId - b.nodeId),
    topics: [...view.topics]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => ({ name: t.name, partitions: [...t.partitions].sort((a, b) => a.partition - b.partition) })),
  };
}

export function viewFromKcat(metadata: KcatMetadata): ClusterView {
  return sortedView({
    brokers: metadata.brokers.map((b) => ({ nodeId: b.id, address: b.name })),
    topics: metadata.topics.map((t) => ({
      name: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas.map((r) => r.id), isr: p.isrs.map((r) => r.id) })),
    })),
  });
}

export interface PythonTopic {
  name: string;
  error: string;
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
}

export interface PythonCluster {
  controllerId: number;
  clusterId: string | null;
  brokers: Array<{ nodeId: number; host: string; port: number }>;
}

export function viewFromPython(cluster: PythonCluster, topics: PythonTopic[]): ClusterView {
  return sortedView({
    brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, address: `${b.host}:${b.port}` })),
    topics: topics.map((t) => ({ name: t.name, partitions: t.partitions })),
  });
}

/** kafkajs reports the metadata of every topic the caller may describe. */
export async function viewFromKafkajs(admin: Admin): Promise<ClusterView> {
  const [cluster, metadata] = await Promise.all([admin.describeCluster(), admin.fetchTopicMetadata()]);
  return sortedView({
    brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, address: `${b.host}:${b.port}` })),
    topics: metadata.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr })),
    })),
  });
}
