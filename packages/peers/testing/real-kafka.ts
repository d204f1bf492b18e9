/**
 * Real Apache Kafka for tests: the `kafka` peer of `npm run peers`, started in this process on free
 * ports (the same code as `npm run -s peers -- kafka`).
 *
 *   describeWithRealKafka('my suite on real Kafka', () => {
 *     let kafka: RealKafka;
 *     beforeAll(async () => { kafka = await startRealKafka({ saslUsers: { admin: 'pw' }, superUsers: ['User:admin'] }); }, REAL_KAFKA_START_MS);
 *     afterAll(() => kafka?.stop());
 *     ...
 *   });
 *
 * Whether it runs is decided by the peers' cache only (`realKafkaMissing()`): without the peer the
 * suite is skipped with the reason, or fails under MESHFORM_REQUIRE_PEERS=1. Every cluster a test
 * file starts is stopped after that file even when a test fails before its own stop(), and the JVM
 * exits by itself if the test process dies.
 */
import { startKafkaCluster, type KafkaCluster, type KafkaClusterOptions } from '../src/kafka-cluster';
import { describeWithPeer, realPeer } from './peers';
import { peerStatus } from '../src/status';

export interface RealKafkaOptions {
  /** Broker nodes (default 1); node 0 is also the controller. */
  brokers?: number;
  /** `{user: password}`: SASL_PLAINTEXT/PLAIN with these users, StandardAuthorizer, no access without an ACL. */
  saslUsers?: Record<string, string>;
  /** Principals allowed everything, e.g. `User:admin`. */
  superUsers?: string[];
  /** The authorizer without SASL (every client is User:ANONYMOUS). Default: on iff saslUsers. */
  authorizer?: boolean;
  /** JVM heap in MB (default 256, 384 for more than one broker). */
  heapMb?: number;
  /** Default 120 s; the error then shows Kafka's last log lines. */
  startTimeoutMs?: number;
  /** TLS on the client listener: see `selfSignedKeystore` (test/support/tls.ts). */
  tls?: { keystore: string; password: string; ca: string };
}

export interface RealKafka {
  /** `127.0.0.1:<port>` of node 0. */
  bootstrap: string;
  /** `127.0.0.1:<port>` of every broker, by node id. */
  brokers: string[];
  /** The JVM's process id (all brokers run in it). */
  pid: number;
  /** Kafka's last log lines (WARN and above), for failure messages. */
  logTail(): string[];
  /** Stops Kafka and deletes its data; safe to call twice. */
  stop(): Promise<void>;
  /** Kills the JVM at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

/** A beforeAll timeout that covers a cold start of a 3-broker cluster on a busy 2-core machine. */
export const REAL_KAFKA_START_MS = 180_000;

const running = new Set<KafkaCluster>();

// Root-level hook of every test file that imports this module: what its tests left running is stopped.
if (typeof afterAll === 'function') {
  afterAll(async () => {
    await Promise.all([...running].map((c) => c.stop()));
    running.clear();
  }, 60_000);
}

/** Why real Kafka cannot run here (the peer is not installed), or undefined when it can. */
export function realKafkaMissing(): string | undefined {
  return peerStatus('kafka').missing;
}

/** `describe` on real Kafka: skipped with the reason when the peer is missing, failing under MESHFORM_REQUIRE_PEERS=1. */
export function describeWithRealKafka(title: string, body: () => void): void {
  describeWithPeer('kafka', title, () => body());
}

/** The backend list entry of a suite that also runs on the test broker: [name, reason to skip]. */
export function realKafkaBackend(what: string): ['real', string | undefined] {
  const status = realPeer('kafka', what);
  if (status.home) return ['real', undefined];
  // Under MESHFORM_REQUIRE_PEERS=1 a missing peer is not a skip: startRealKafka then fails the suite.
  return ['real', process.env.MESHFORM_REQUIRE_PEERS === '1' ? undefined : status.missing];
}

export async function startRealKafka(options: RealKafkaOptions = {}): Promise<RealKafka> {
  const status = peerStatus('kafka');
  if (!status.home) throw new Error(`real Kafka is not available: ${status.missing}`);
  const clusterOptions: KafkaClusterOptions = { ...options, host: '127.0.0.1', port: 0 };
  const cluster = await startKafkaCluster(status.home, clusterOptions);
  running.add(cluster);
  const forget = () => running.delete(cluster);
  return {
    bootstrap: cluster.bootstrap,
    brokers: cluster.brokers,
    pid: cluster.pid,
    logTail: () => cluster.logTail(),
    stop: async () => {
      await cluster.stop();
      forget();
    },
    kill: async () => {
      await cluster.kill();
      forget();
    },
  };
}

/** meshform/testing's `realKafka` option: this peer's JVM; throws the install command when the peer is missing. */
export async function realKafkaStarter({ saslUsers, superUsers }: { saslUsers: Record<string, string>; superUsers: string[] }) {
  const status = peerStatus('kafka');
  if (!status.home) throw new Error(status.missing);
  const kafka = await startRealKafka({ saslUsers, superUsers });
  return { bootstrap: kafka.bootstrap, description: `real Apache Kafka from ${status.home}`, stop: () => kafka.stop() };
}
