import { APIS } from './apis';
import { ClusterState } from './cluster/cluster-state';
import { Authorizer } from './security/authorizer';
import { BrokerNodeServer } from './server/broker-node-server';
import { BrokerRuntime } from './server/broker-runtime';
import { FaultPlan, Faults } from './server/faults';
import { RequestStats } from './server/request-stats';

export type { Faults } from './server/faults';

export interface TestBrokerOptions {
  /** Broker nodes in the cluster, each on its own port (default 1). */
  brokers?: number;
  host?: string;
  /** Port of node 0; node i listens on port + i. 0 (the default) = ephemeral ports. */
  port?: number;
  /** `{user: password}`; makes every listener SASL_PLAINTEXT with mechanism PLAIN. */
  saslUsers?: Record<string, string>;
  /** Principals allowed everything, e.g. `User:admin`. */
  superUsers?: string[];
  /** Default: true iff saslUsers is given. Without it, everything is allowed and ACL APIs answer SECURITY_DISABLED. */
  authorizer?: boolean;
  faults?: Faults;
  /** The node id named as the controller (default 0). */
  controller?: number;
  /**
   * Behave like a ZooKeeper-mode Kafka: topic writes (CreateTopics, CreatePartitions, DeleteTopics)
   * sent to a broker other than the controller answer NOT_CONTROLLER. Default: KRaft, where any
   * broker takes them.
   */
  zookeeperMode?: boolean;
}

export interface TestBroker {
  /** `host:port` of node 0. */
  bootstrap: string;
  /** `host:port` of every node, by node id. */
  brokers: string[];
  stats(): { requests: Record<string, number> };
  resetStats(): void;
  setFaults(faults: Faults): void;
  stop(): Promise<void>;
}

/** Starts an in-memory Kafka cluster of `brokers` nodes speaking the wire protocol. Test infrastructure only. */
export async function startTestBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const brokers = options.brokers ?? 1;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(brokers) || brokers < 1) throw new Error(`brokers must be a positive integer, got ${brokers}`);
  if (!Number.isInteger(port) || port < 0 || port + brokers - 1 > 65535) throw new Error(`port must be 0 or a free port range start, got ${port}`);

  const controller = options.controller ?? 0;
  if (!Number.isInteger(controller) || controller < 0 || controller >= brokers) throw new Error(`controller must be a node id from 0 to ${brokers - 1}, got ${controller}`);
  const cluster = new ClusterState();
  cluster.controllerId = controller;
  const runtime: BrokerRuntime = {
    cluster,
    authorizer: new Authorizer(cluster.acls, { enabled: options.authorizer ?? options.saslUsers !== undefined, superUsers: options.superUsers ?? [] }),
    settings: { saslUsers: options.saslUsers ?? null, zookeeperMode: options.zookeeperMode ?? false },
    apis: APIS,
    faults: new FaultPlan(options.faults),
    stats: new RequestStats(),
  };
  const servers: BrokerNodeServer[] = [];
  try {
    for (let nodeId = 0; nodeId < brokers; nodeId++) {
      const node = { nodeId, host, port: 0 };
      const server = new BrokerNodeServer(node, runtime);
      await server.listen(host, port === 0 ? 0 : port + nodeId);
      servers.push(server);
      cluster.nodes.push(node);
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
  const addresses = cluster.nodes.map((n) => `${n.host}:${n.port}`);
  return {
    bootstrap: addresses[0],
    brokers: addresses,
    stats: () => runtime.stats.snapshot(),
    resetStats: () => runtime.stats.reset(),
    setFaults: (faults) => runtime.faults.set(faults),
    stop: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
