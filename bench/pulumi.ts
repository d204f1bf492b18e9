/**
 * Kafka in `pulumi up` with Pulumi's real engine (the `pulumi` peer), 1,000 generated products
 * (10 channels each), stack settings as dev but in Crossplane mode (one DataProduct object per
 * product at the recording kubernetes double, so the figures are about Kafka, not 9,000 GCP
 * resources), against the in-process test broker with SASL/PLAIN and the authorizer; requests
 * counted at the broker. Side by side: `meshform kafka apply` of the same plan on a fresh broker.
 * Targets (issue 9): first `pulumi up` <= 3x `meshform kafka apply`; a no-op `pulumi up --refresh`
 * reads the cluster once (<= 6 requests, the SASL handshake included).
 * MESHFORM_BENCH_PULUMI_KAFKA=real: the same on real Apache Kafka (the `kafka` peer, one broker,
 * SASL/PLAIN + StandardAuthorizer), requests counted by a TCP proxy in front of it, topics of one
 * partition (meshform:partitionFactor 0.01) so that one small broker holds them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { OwnershipScope, reconcileKafka, plainLogin } from '../src/adapters/kafka';
import { loadMesh } from '../src/model';
import { planMesh } from '../src/plan';
import { stackFromPulumiConfig } from '../src/stack/load';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { startKafkaCluster } from '@meshform/peers/src/kafka-cluster';
import { peerStatus } from '@meshform/peers/src/status';
import { startTcpProxy } from '../test/support/tcp-proxy';
import { engine, startDouble } from '../test/pulumi/support/engine';
import { packedMeshform, workingFolder } from '../test/support/packed';
import { mutationsIn } from '../test/support/mutating-apis';
import { generateMesh } from './generate';

const PRODUCTS = Number(process.env.MESHFORM_BENCH_PRODUCTS ?? 1000);
const CHANNELS = 10;
const ADMIN = { username: 'admin', password: 'bench-admin-pw' };

const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
const byApi = (requests: Record<string, number>) =>
  Object.entries(requests)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
const line = (label: string, ms: number, requests: Record<string, number>) =>
  `  ${label.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${String(total(requests)).padStart(6)} requests (${total(mutationsIn(requests))} mutating): ${byApi(requests)}`;

const REAL = process.env.MESHFORM_BENCH_PULUMI_KAFKA === 'real';
/** MESHFORM_BENCH_PARALLEL: `pulumi up --parallel N` for the first up (default: the engine's, 4 per CPU). */
const PARALLEL = process.env.MESHFORM_BENCH_PARALLEL ? ['--parallel', process.env.MESHFORM_BENCH_PARALLEL] : [];
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;

/** A cluster for one side of the comparison, its requests counted where they arrive. */
interface BenchBroker {
  bootstrap: string;
  resetStats(): void;
  stats(): { requests: Record<string, number> };
  stop(): Promise<void>;
}

async function startBroker(): Promise<BenchBroker> {
  if (!REAL) return startTestBroker({ brokers: 1, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`], authorizer: true });
  const home = peerStatus('kafka').home!;
  const cluster = await startKafkaCluster(home, { saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`], heapMb: 512 });
  const proxy = await startTcpProxy(cluster.bootstrap);
  const name = (key: number) => Object.keys(apiKeys).find((k) => apiKeys[k] === key) ?? `api ${key}`;
  return {
    bootstrap: proxy.address,
    resetStats: () => proxy.resetRequests(),
    stats: () => ({ requests: Object.fromEntries([...proxy.requests()].map(([key, n]) => [name(key), n])) }),
    stop: async () => {
      await proxy.close();
      await cluster.stop();
    },
  };
}

export async function benchPulumi(): Promise<void> {
  console.log('== Kafka in pulumi up (real engine) vs meshform kafka apply ==');
  const peer = peerStatus('pulumi');
  const kafkaPeer = peerStatus('kafka');
  if (!peer.home || (REAL && !kafkaPeer.home)) {
    console.log(`  skipped: ${peer.missing ?? kafkaPeer.missing}`);
    return;
  }
  if (REAL) console.log(`  on real Apache Kafka (${kafkaPeer.version}, one broker, -Xmx512m, SASL/PLAIN + StandardAuthorizer), topics of one partition`);
  const install = await packedMeshform();
  const work = workingFolder(install, 'meshform-bench-pulumi-');
  generateMesh(path.join(work, 'specs'), PRODUCTS, CHANNELS);
  const config: Record<string, unknown> = {
    'meshform:gcpProject': 'acme-data-dev',
    'meshform:location': 'EU',
    'meshform:replicasCap': '1',
    'meshform:crossplane': true,
    'meshform:allowDelete': true,
    'meshform:kafkaSaslMechanism': 'plain',
    'meshform:kafkaUsername': ADMIN.username,
    ...(REAL ? { 'meshform:partitionFactor': '0.01' } : {}),
  };

  // Baseline: the same plan through the engine behind `meshform kafka apply`, on its own broker.
  const baseline = await startBroker();
  const stringConfig = Object.fromEntries(Object.entries({ ...config, 'meshform:kafkaBootstrap': baseline.bootstrap }).map(([k, v]) => [k, String(v)]));
  const { stack } = stackFromPulumiConfig('dev', stringConfig, {});
  const loaded = await loadMesh([path.join(work, 'specs')]);
  if (!stack || !loaded.mesh) throw new Error('bench: generated mesh or stack does not load');
  const plan = planMesh(loaded.mesh, stack);
  const ids = plan.products.map((p) => p.id);
  const topics = plan.resources.filter((r) => r.kind === 'kafka:Topic').length;
  const acls = plan.resources.filter((r) => r.kind === 'kafka:Acl').length;
  baseline.resetStats();
  const a0 = Date.now();
  await reconcileKafka(
    { brokers: [baseline.bootstrap], clientId: 'meshform-bench', tls: false, sasl: plainLogin(ADMIN) },
    { resources: plan.resources, scope: OwnershipScope.ofProducts(ids, stack.kafka.principalTemplate), permissions: { allowDelete: true, allowDeletePrivate: false }, mode: 'apply' },
  );
  const applyMs = Date.now() - a0;
  const applyRequests = baseline.stats().requests;
  await baseline.stop();
  console.log(`  ${ids.length} products, ${topics} topics, ${acls} ACLs (Crossplane mode: ${ids.length} DataProduct objects at the kubernetes double)`);
  console.log(line('meshform kafka apply (first)', applyMs, applyRequests));

  const broker = await startBroker();
  const kubernetes = await startDouble('kubernetes', process.env);
  try {
    const run = engine(peer, { kubernetes: kubernetes.port }, process.env.MESHFORM_BENCH_CHECKPOINTS === '1' ? {} : { PULUMI_SKIP_CHECKPOINTS: 'true' });
    fs.writeFileSync(path.join(work, 'index.js'), "module.exports = require('meshform/pulumi').meshformProgram();\n");
    fs.writeFileSync(path.join(work, 'Pulumi.yaml'), stringify({ name: 'bench-mesh', runtime: { name: 'nodejs', options: { typescript: false } }, main: 'index.js', stackConfigDir: 'stacks' }));
    fs.mkdirSync(path.join(work, 'stacks'));
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.dev.yaml'), stringify({ config: { ...config, 'meshform:kafkaBootstrap': broker.bootstrap } }));
    run.pulumi(['stack', 'init', 'dev'], work);
    run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password], work);

    broker.resetStats();
    const u0 = Date.now();
    await run.pulumiAsync(['up', '--yes', '--skip-preview', ...PARALLEL, '-s', 'dev'], work);
    const upMs = Date.now() - u0;
    console.log(line('pulumi up (first)', upMs, broker.stats().requests));

    broker.resetStats();
    const r0 = Date.now();
    await run.pulumiAsync(['up', '--refresh', '--yes', '--skip-preview', '--expect-no-changes', '-s', 'dev'], work);
    const refreshMs = Date.now() - r0;
    const refreshRequests = broker.stats().requests;
    console.log(line('pulumi up --refresh (no-op)', refreshMs, refreshRequests));
    // The engine's floor: the same program and products without Kafka (no bootstrap, so no Kafka
    // resources), in a stack of its own: what a first `pulumi up` costs before any Kafka work.
    const { kafkaSaslMechanism: _m, kafkaUsername: _u, ...withoutKafka } = config;
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.floor.yaml'), stringify({ config: withoutKafka }));
    run.pulumi(['stack', 'init', 'floor'], work);
    const f0 = Date.now();
    await run.pulumiAsync(['up', '--yes', '--skip-preview', '-s', 'floor'], work);
    const floorMs = Date.now() - f0;
    console.log(`  ${'pulumi up (first), no Kafka'.padEnd(34)} ${(floorMs / 1000).toFixed(1).padStart(7)} s  (the engine's floor for the same ${ids.length} products)`);
    console.log(`  first up / kafka apply: ${(upMs / applyMs).toFixed(1)}x (target <= 3x); Kafka's part of it (first up - floor): ${((upMs - floorMs) / 1000).toFixed(1)} s = ${((upMs - floorMs) / applyMs).toFixed(1)}x kafka apply`);
    console.log(`  no-op refresh: ${total(refreshRequests)} requests (target <= 6)`);
  } finally {
    await kubernetes.stop();
    await broker.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
