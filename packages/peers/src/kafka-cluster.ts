/**
 * Real Apache Kafka (KRaft) from the peer's cached jars: one JVM runs the whole cluster (node 0 is
 * broker + controller, nodes 1.. are brokers), on loopback, its data in a fresh temporary folder
 * that is deleted when it stops. Used by `npm run -s peers -- kafka` and by the tests
 * (packages/peers/testing/real-kafka.ts), so both start exactly the same cluster.
 *
 * Security, as `kafka-test-broker`: with SASL users the client listener is SASL_PLAINTEXT/PLAIN
 * with those users; with users or `authorizer`, the StandardAuthorizer with
 * allow.everyone.if.no.acl.found=false and the given super users. Brokers and the controller then
 * talk over their own SASL listeners as an internal super user with a random password, so no
 * client principal (not even ANONYMOUS) needs to be a super user.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../../../src/local-host';
import type { TestBrokerOptions } from '@meshform/kafka-test-broker';
import { PeerError } from './peer';
import { requireTool } from './process';

/** The options of `kafka-test-broker` (`startTestBroker`), so both start the same way, and the JVM's. */
export interface KafkaClusterOptions extends Pick<TestBrokerOptions, 'brokers' | 'host' | 'port' | 'saslUsers' | 'superUsers' | 'authorizer'> {
  /** JVM heap (default 256 MB, 384 MB for more than one broker). */
  heapMb?: number;
  /** How long to wait for the cluster to serve clients (default 120 s). */
  startTimeoutMs?: number;
  /** Each line the JVM prints (its log is at WARN). */
  onLog?: (line: string) => void;
  /** server.properties entries added to (or replacing) meshform's, on every node. */
  serverProperties?: Record<string, string>;
  /**
   * TLS on the client listener (SASL_SSL with `saslUsers`, else SSL): a PKCS12 keystore with the
   * broker's key and certificate, and the PEM of the certificate clients trust (for the start-up
   * probe). The brokers' own listeners stay as they are.
   */
  tls?: { keystore: string; password: string; ca: string };
  /** Extra JVM options (e.g. `-XX:TieredStopAtLevel=1` is dropped with `fullJit: true`). */
  fullJit?: boolean;
}

export interface KafkaCluster {
  /** `host:port` of node 0. */
  bootstrap: string;
  /** `host:port` of every node, by node id. */
  brokers: string[];
  /** The JVM's process id. */
  pid: number;
  /** The JVM's last log lines. */
  logTail(): string[];
  /** Resolves with the JVM's exit code or signal when it has exited, for whatever reason. */
  exited: Promise<string>;
  /** Stops the JVM (SIGTERM, SIGKILL after a grace period) and deletes the data. Safe to call twice. */
  stop(): Promise<void>;
  /** Kills the JVM at once (SIGKILL), as a crash would, and deletes the data. */
  kill(): Promise<void>;
}

/** Kafka's own user for broker-to-broker and broker-to-controller traffic; never a client's. */
export const INTERNAL_USER = 'meshform-internal';
const LOG_TAIL = 60;
const STOP_GRACE_MS = 20_000;

/** Files of an installed peer home. */
export function kafkaLayout(home: string) {
  return { libs: join(home, 'libs'), classes: join(home, 'classes'), log4j: join(home, 'log4j2.properties') };
}

/** Kafka's cluster id: 16 random bytes, base64url without padding, never starting with '-' (as Kafka's Uuid.randomUuid: it would read as an option). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** `java.util.Properties` escaping, so any user name and password survive the file. */
export function propertiesText(entries: Record<string, string>): string {
  const escape = (text: string, key: boolean) =>
    text.replace(/[\\=:#!\s]|[^\x20-\x7e]/g, (c) => {
      if (c === '\\') return '\\\\';
      if (c === ' ') return key ? '\\ ' : ' ';
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      if (/[=:#!]/.test(c)) return `\\${c}`;
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
  return Object.entries(entries)
    .map(([k, v]) => `${escape(k, true)}=${escape(v, false).replace(/^ /, '\\ ')}`)
    .join('\n')
    .concat('\n');
}

interface NodePlan {
  nodeId: number;
  clientPort: number;
}

/** server.properties of one node. */
export function nodeProperties(
  node: NodePlan,
  cluster: {
    host: string;
    controllerPort: number;
    dataDir: string;
    usersFile: string;
    internalPassword: string;
    sasl: boolean;
    authorizer: boolean;
    superUsers: string[];
    tls?: { keystore: string; password: string };
  },
): Record<string, string> {
  const { host, controllerPort, dataDir } = cluster;
  const secured = cluster.authorizer;
  const controller = node.nodeId === 0;
  const listeners = [`CLIENT://${host}:${node.clientPort}`];
  const advertised = [`CLIENT://${host}:${node.clientPort}`];
  // An internal listener only where the brokers must authenticate; port 0: Kafka picks one and advertises it.
  if (secured) {
    listeners.push(`INTERNAL://${host}:0`);
    advertised.push(`INTERNAL://${host}:0`);
  }
  if (controller) listeners.push(`CONTROLLER://${host}:${controllerPort}`);
  const internalProtocol = secured ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const props: Record<string, string> = {
    'process.roles': controller ? 'broker,controller' : 'broker',
    'node.id': String(node.nodeId),
    'controller.quorum.voters': `0@${host}:${controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'listener.security.protocol.map': [
      `CLIENT:${cluster.sasl ? 'SASL_' : ''}${cluster.tls ? 'SSL' : 'PLAINTEXT'}`,
      ...(secured ? [`INTERNAL:${internalProtocol}`] : []),
      `CONTROLLER:${internalProtocol}`,
    ].join(','),
    'inter.broker.listener.name': secured ? 'INTERNAL' : 'CLIENT',
    'log.dirs': join(dataDir, `node-${node.nodeId}`),
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    'default.replication.factor': '1',
    // Internal topics on one broker each, created small and fast.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'share.coordinator.state.topic.num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    // A small machine: few threads, a small log-cleaner buffer (the default 128 MB does not fit the heap).
    'log.cleaner.dedupe.buffer.size': String(4 * 1024 * 1024),
    'num.io.threads': '2',
    'num.network.threads': '2',
    'background.threads': '2',
    'num.recovery.threads.per.data.dir': '1',
    'num.replica.fetchers': '1',
  };
  if (secured) {
    props['sasl.enabled.mechanisms'] = 'PLAIN';
    props['sasl.mechanism.inter.broker.protocol'] = 'PLAIN';
    props['sasl.mechanism.controller.protocol'] = 'PLAIN';
    for (const listener of ['internal', 'controller']) {
      props[`listener.name.${listener}.plain.sasl.jaas.config`] = jaas(true);
      props[`listener.name.${listener}.plain.sasl.server.callback.handler.class`] = 'MeshformPlainUsers';
    }
    props['authorizer.class.name'] = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
    props['allow.everyone.if.no.acl.found'] = 'false';
    props['super.users'] = [`User:${INTERNAL_USER}`, ...cluster.superUsers].join(';');
  }
  if (cluster.tls) {
    props['listener.name.client.ssl.keystore.type'] = 'PKCS12';
    props['listener.name.client.ssl.keystore.location'] = cluster.tls.keystore;
    props['listener.name.client.ssl.keystore.password'] = cluster.tls.password;
  }
  if (cluster.sasl) {
    props['listener.name.client.plain.sasl.jaas.config'] = jaas(false);
    props['listener.name.client.plain.sasl.server.callback.handler.class'] = 'MeshformPlainUsers';
    props['listener.name.client.sasl.enabled.mechanisms'] = 'PLAIN';
  }
  return props;

  function jaas(withLogin: boolean): string {
    return `org.apache.kafka.common.security.plain.PlainLoginModule required${withLogin ? ` username="${INTERNAL_USER}" password="${cluster.internalPassword}"` : ''} users_file="${cluster.usersFile}";`;
  }
}

/** Starts the cluster and resolves once clients can connect (every broker listed in Metadata). */
export async function startKafkaCluster(home: string, options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  const brokers = options.brokers ?? 1;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 9) throw new PeerError(`brokers must be an integer from 1 to 9, got ${brokers}`);
  const users = options.saslUsers;
  if (users && Object.hasOwn(users, INTERNAL_USER)) throw new PeerError(`the SASL user name ${INTERNAL_USER} is reserved for the brokers`);
  const java = requireTool('java', 'Kafka needs a Java runtime >= 17 (apt-get install openjdk-17-jre-headless)');
  // Ports the OS handed out may be taken again before Kafka binds them: try again with others.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(java, home, brokers, options);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= attempts) throw e instanceof PortTaken ? new PeerError(e.message) : e;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(java: string, home: string, brokers: number, options: KafkaClusterOptions): Promise<KafkaCluster> {
  const host = options.host ?? '127.0.0.1';
  const sasl = options.saslUsers !== undefined;
  const authorizer = options.authorizer ?? sasl;
  const internalPassword = randomBytes(18).toString('base64url');
  const controllerPort = await freePort(host);
  const clientPorts: number[] = [];
  for (let i = 0; i < brokers; i++) clientPorts.push(options.port ? options.port + i : await freePort(host));

  const dataDir = mkdtempSync(join(tmpdir(), 'meshform-kafka-'));
  const usersFile = join(dataDir, 'users.properties');
  writeFileSync(usersFile, propertiesText({ ...(options.saslUsers ?? {}), [INTERNAL_USER]: internalPassword }), { mode: 0o600 });
  const files: string[] = [];
  for (let nodeId = 0; nodeId < brokers; nodeId++) {
    const file = join(dataDir, `node-${nodeId}.properties`);
    const props = nodeProperties({ nodeId, clientPort: clientPorts[nodeId] }, {
      host,
      controllerPort,
      dataDir,
      usersFile,
      internalPassword,
      sasl,
      authorizer,
      superUsers: options.superUsers ?? [],
      tls: options.tls,
    });
    writeFileSync(file, propertiesText({ ...props, ...(options.serverProperties ?? {}) }), { mode: 0o600 });
    files.push(file);
  }

  const layout = kafkaLayout(home);
  const heapMb = options.heapMb ?? (brokers > 1 ? 384 : 256);
  const child = spawn(
    java,
    [
      `-Xmx${heapMb}m`,
      `-Xms${Math.min(64, heapMb)}m`,
      '-XX:+UseSerialGC',
      // C1 only: a broker starts in half the time on 2 cores; a long run (the bench) may want the full JIT.
      ...(options.fullJit ? [] : ['-XX:TieredStopAtLevel=1']),
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${layout.log4j}`,
      '-cp',
      `${layout.classes}:${join(layout.libs, '*')}`,
      'MeshformKafka',
      dataDir,
      clusterId(),
      ...files,
    ],
    // stdin stays open and unused: the JVM exits when it closes, i.e. when this process is gone.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  const keep = (line: string) => {
    if (!line) return;
    tail.push(line);
    if (tail.length > LOG_TAIL) tail.shift();
    options.onLog?.(line);
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  void exited.then(removeData);

  const bootstrap = `${host}:${clientPorts[0]}`;
  const cluster = control(child, exited, removeData, {
    bootstrap,
    brokers: clientPorts.map((p) => `${host}:${p}`),
    logTail: () => [...tail],
  });

  const timeoutMs = options.startTimeoutMs ?? 120_000;
  try {
    await ready(child, exited, keep, timeoutMs);
    await probe(bootstrap, brokers, sasl ? { username: INTERNAL_USER, password: internalPassword } : undefined, options.tls?.ca, Date.now() + timeoutMs);
    return cluster;
  } catch (e) {
    await cluster.kill();
    const lines = tail.slice(-25).join('\n');
    const message = `Kafka did not start: ${(e as Error).message}${lines ? `\nits last log lines:\n${lines}` : ''}`;
    if (/Address already in use|BindException/.test(lines) && !options.port) throw new PortTaken(message);
    throw new PeerError(message);
  }
}

function control(
  child: ChildProcess,
  exited: Promise<string>,
  removeData: () => void,
  base: Pick<KafkaCluster, 'bootstrap' | 'brokers' | 'logTail'>,
): KafkaCluster {
  let stopping: Promise<void> | undefined;
  const end = (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(killer);
      }
      child.stdin?.destroy();
      removeData();
    })();
    return stopping;
  };
  return { ...base, pid: child.pid ?? -1, exited, stop: () => end('SIGTERM', STOP_GRACE_MS), kill: () => end('SIGKILL', 0) };
}

/** Waits for the launcher's `ready` line (every node started), the JVM's exit, or the timeout. */
function ready(child: ChildProcess, exited: Promise<string>, keep: (line: string) => void, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.trim() === 'ready') {
        clearTimeout(timer);
        resolve();
      } else keep(line);
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the JVM exited (${how})`));
    });
  });
}

/** Asks the cluster through its bootstrap address until Metadata lists every broker. */
async function probe(bootstrap: string, brokers: number, sasl: { username: string; password: string } | undefined, ca: string | undefined, deadline: number): Promise<void> {
  const kafka = new Kafka({
    ...(ca ? { ssl: { ca: [ca] } } : {}),
    brokers: [bootstrap],
    clientId: 'meshform-peer-probe',
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 3000,
    ...(sasl ? { sasl: { mechanism: 'plain' as const, ...sasl } } : {}),
  });
  let last = 'no answer';
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const { brokers: listed } = await admin.describeCluster();
      if (listed.length >= brokers) return;
      last = `${listed.length} of ${brokers} brokers registered`;
    } catch (e) {
      last = (e as Error).message;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`clients cannot use it yet: ${last}`);
}
