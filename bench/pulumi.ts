/**
 * `pulumi up` with Pulumi's real engine (the `pulumi` peer) as users run it: checkpoints on (the
 * file backend writes the state after every step), generated products (10 channels each) in
 * Crossplane mode (one DataProduct object per product at the recording kubernetes double, so the
 * figures are about meshform's resources, not 9,000 GCP ones).
 *
 * Default: 1,000 products in 10 business domains against the in-process test broker (SASL/PLAIN,
 * authorizer; requests counted at the broker):
 *  - `meshform kafka apply` of the whole mesh (the baseline);
 *  - one stack of all 1,000 products (stopped at MESHFORM_BENCH_ONE_STACK_LIMIT_S, default 900 s,
 *    with how far it got), then a no-op `pulumi up --refresh` of it (target: it reads the cluster once);
 *  - 10 domain stacks of 100 written by `meshform stacks plan --by domain --write`, run 2 at a time
 *    (targets: a 100-product stack's first up <= 60 s, the 10 stacks <= 10 minutes in all);
 *  - state per product (`pulumi stack export`; target <= 3 KB);
 *  - the engine's floor: a 100-product stack without Kafka.
 * MESHFORM_BENCH_PULUMI_KAFKA=real: Kafka's part of a first up on real Apache Kafka (the `kafka`
 * peer, one broker, SASL/PLAIN + StandardAuthorizer, requests counted by a TCP proxy, topics of one
 * partition): `kafka apply` vs first `pulumi up` vs the same stack without Kafka, for
 * MESHFORM_BENCH_PRODUCTS products (default 250) in one stack (target: up - floor <= 2x apply).
 * MESHFORM_BENCH_PARALLEL: `pulumi up --parallel N` (default: the engine's).
 * MESHFORM_BENCH_CROSSPLANE=gitops: the stacks' `meshform:crossplane` is `gitops` (DataProducts by
 * GitOps, no DataProduct objects in the state) instead of `true`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { stringify } from 'yaml';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { OwnershipScope, reconcileKafka, plainLogin } from '../src/adapters/kafka';
import { loadMesh } from '../src/model';
import { planMesh } from '../src/plan';
import { stackFromPulumiConfig } from '../src/stack/load';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { startKafkaCluster } from '@meshform/peers/src/kafka-cluster';
import { peerStatus } from '@meshform/peers/src/status';
import { startTcpProxy } from '../test/support/tcp-proxy';
import { engine, startDouble, type Engine } from '../test/pulumi/support/engine';
import { packedMeshform, workingFolder, type PackedInstall } from '../test/support/packed';
import { apiName, mutationsIn, readsOnce } from '../test/support/mutating-apis';
import { generateMesh } from './generate';
import type { TraceLine } from '../src/adapters/kafka/engine/trace';

const REAL = process.env.MESHFORM_BENCH_PULUMI_KAFKA === 'real';
const PRODUCTS = Number(process.env.MESHFORM_BENCH_PRODUCTS ?? (REAL ? 250 : 1000));
const DOMAINS = 10;
const CHANNELS = 10;
const ONE_STACK_LIMIT_S = Number(process.env.MESHFORM_BENCH_ONE_STACK_LIMIT_S ?? 900);
const ADMIN = { username: 'admin', password: 'bench-admin-pw' };
const CROSSPLANE = process.env.MESHFORM_BENCH_CROSSPLANE ?? 'true';
if (CROSSPLANE !== 'true' && CROSSPLANE !== 'gitops') throw new Error(`bench: MESHFORM_BENCH_CROSSPLANE is true or gitops, not '${CROSSPLANE}'`);
const PARALLEL = process.env.MESHFORM_BENCH_PARALLEL ? ['--parallel', process.env.MESHFORM_BENCH_PARALLEL] : [];

const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
const byApi = (requests: Record<string, number>) =>
  Object.entries(requests)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(7)} s`;
const line = (label: string, ms: number, requests?: Record<string, number>) =>
  `  ${label.padEnd(44)} ${seconds(ms)}${requests ? `  ${String(total(requests)).padStart(6)} requests (${total(mutationsIn(requests))} mutating): ${byApi(requests)}` : ''}`;

/** A cluster, its requests counted where they arrive. */
interface BenchBroker {
  bootstrap: string;
  resetStats(): void;
  stats(): { requests: Record<string, number> };
  /** CPU seconds the broker has used (the real broker's JVM; 0 for the in-process test broker). */
  cpu(): number;
  stop(): Promise<void>;
}

export async function startBroker(): Promise<BenchBroker> {
  if (!REAL) {
    const broker = await startTestBroker({ brokers: 1, saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`], authorizer: true });
    return Object.assign(broker, { cpu: () => 0 });
  }
  const cluster = await startKafkaCluster(peerStatus('kafka').home!, { saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`], heapMb: 512 });
  const proxy = await startTcpProxy(cluster.bootstrap);
  return {
    bootstrap: proxy.address,
    resetStats: () => proxy.resetRequests(),
    cpu: () => processCpu(cluster.pid),
    stats: () => ({ requests: Object.fromEntries([...proxy.requests()].map(([key, n]) => [apiName(key), n])) }),
    stop: async () => {
      await proxy.close();
      await cluster.stop();
    },
  };
}

/** The base stack's settings (Crossplane mode, as dev, deletes allowed), Kafka at `bootstrap` (none: no Kafka). */
export function baseConfig(bootstrap?: string): Record<string, unknown> {
  return {
    'meshform:gcpProject': 'acme-data-dev',
    'meshform:location': 'EU',
    'meshform:replicasCap': '1',
    'meshform:crossplane': CROSSPLANE === 'gitops' ? 'gitops' : true,
    'meshform:allowDelete': true,
    ...(REAL ? { 'meshform:partitionFactor': '0.01' } : {}),
    ...(bootstrap ? { 'meshform:kafkaBootstrap': bootstrap, 'meshform:kafkaSaslMechanism': 'plain', 'meshform:kafkaUsername': ADMIN.username } : {}),
  };
}

/** `meshform kafka apply` of the whole mesh, through the same engine, on a broker of its own. */
async function kafkaApply(specs: string): Promise<{ ms: number; cpu: number; brokerCpu: number; requests: Record<string, number>; products: number; topics: number; acls: number }> {
  const broker = await startBroker();
  try {
    const config = Object.fromEntries(Object.entries(baseConfig(broker.bootstrap)).map(([k, v]) => [k, String(v)]));
    const { stack } = stackFromPulumiConfig('dev', config, {});
    const loaded = await loadMesh([specs]);
    if (!stack || !loaded.mesh) throw new Error('bench: generated mesh or stack does not load');
    const plan = planMesh(loaded.mesh, stack);
    const ids = plan.products.map((p) => p.id);
    broker.resetStats();
    const c0 = process.cpuUsage();
    const b0 = broker.cpu();
    const t0 = Date.now();
    await reconcileKafka(
      { brokers: [broker.bootstrap], clientId: 'meshform-bench', tls: false, sasl: plainLogin(ADMIN) },
      { resources: plan.resources, scope: OwnershipScope.ofProducts(ids, stack.kafka.principalTemplate), permissions: { allowDelete: true, allowDeletePrivate: false }, mode: 'apply' },
    );
    const ms = Date.now() - t0;
    const cpu = process.cpuUsage(c0);
    return {
      ms,
      cpu: (cpu.user + cpu.system) / 1e6,
      brokerCpu: broker.cpu() - b0,
      requests: broker.stats().requests,
      products: ids.length,
      topics: plan.resources.filter((r) => r.kind === 'kafka:Topic').length,
      acls: plan.resources.filter((r) => r.kind === 'kafka:Acl').length,
    };
  } finally {
    await broker.stop();
  }
}

/** A Pulumi project over the generated specs, meshform installed from its packed package. */
export function project(work: string): void {
  fs.writeFileSync(path.join(work, 'index.js'), "module.exports = require('meshform/pulumi').meshformProgram();\n");
  fs.writeFileSync(path.join(work, 'Pulumi.yaml'), stringify({ name: 'bench-mesh', runtime: { name: 'nodejs', options: { typescript: false } }, main: 'index.js', stackConfigDir: 'stacks' }));
  fs.mkdirSync(path.join(work, 'stacks'), { recursive: true });
}

/**
 * A project folder for the engine's second floor: the packed install's node_modules, but its
 * `meshform` answers `meshform/pulumi/kafka-provider` with bench/instant-kafka-provider.js (every
 * other file of the package is the installed one). The program, its registrations and the Kafka
 * resources' inputs and outputs are those of a real up; only the provider's work is gone.
 */
export function instantKafkaFolder(install: PackedInstall): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-bench-instant-'));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(install.nodeModules)) {
    if (entry !== 'meshform') fs.symlinkSync(path.join(install.nodeModules, entry), path.join(modules, entry));
  }
  const installed = path.join(install.nodeModules, 'meshform');
  const meshform = path.join(modules, 'meshform');
  fs.mkdirSync(meshform);
  for (const entry of fs.readdirSync(installed)) {
    if (entry !== 'package.json') fs.symlinkSync(path.join(installed, entry), path.join(meshform, entry));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  if (!manifest.exports['./pulumi/kafka-provider']) throw new Error('bench: the packed meshform exports no ./pulumi/kafka-provider');
  manifest.exports['./pulumi/kafka-provider'] = './bench-instant-kafka-provider.js';
  fs.writeFileSync(path.join(meshform, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.copyFileSync(path.join(__dirname, 'instant-kafka-provider.js'), path.join(meshform, 'bench-instant-kafka-provider.js'));
  return dir;
}

export function initStack(run: Engine, work: string, name: string, config?: Record<string, unknown>): void {
  if (config) fs.writeFileSync(path.join(work, 'stacks', `Pulumi.${name}.yaml`), stringify({ config }));
  run.pulumi(['stack', 'init', name], work);
  if (config === undefined || config['meshform:kafkaBootstrap']) run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password, '-s', name], work);
}

export interface StateSize {
  /** `pulumi stack export`, bytes. */
  bytes: number;
  /** The file backend's state file, bytes: what every checkpoint rewrites. */
  fileBytes: number;
  /** The Kafka resources' part of the export. */
  kafkaBytes: number;
  /** The Kafka resources' part of the file (compact JSON of each resource, as the file writes it). */
  kafkaFileBytes: number;
  /** Products in it (their components). */
  products: number;
  /** Products whose Kafka resource is in it (created). */
  kafkaProducts: number;
  /** Resource type -> [resources, compact JSON bytes]. */
  byType: Map<string, [number, number]>;
  /**
   * The file's bytes without the kubernetes resources (the DataProduct objects and their provider),
   * computed: what the same stack with `meshform:crossplane: gitops` keeps, whose program registers
   * the same components and Kafka resources and no DataProduct (bench/pulumiState.ts measures it).
   */
  gitopsFileBytes: number;
}

/** The resources a stack with `meshform:crossplane: gitops` does not have: the DataProduct objects and the kubernetes provider. */
const isKubernetes = (type: string) => type.startsWith('kubernetes:') || type === 'pulumi:providers:kubernetes';

/** The stack's file in the file backend (`<backend>/.pulumi/stacks/<project>/<stack>.json`). */
export function stateFile(run: Engine, stack: string): string {
  const stacks = path.join(run.backend, '.pulumi', 'stacks');
  for (const project of fs.readdirSync(stacks)) {
    const file = path.join(stacks, project, `${stack}.json`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`bench: no state file of stack ${stack} under ${stacks}`);
}

/** The stack's state as `pulumi stack export` gives it, and the file backend's file. */
export function stateOf(run: Engine, work: string, stack: string): StateSize {
  const exported = run.pulumi(['stack', 'export', '-s', stack], work).stdout;
  const resources = (JSON.parse(exported) as { deployment: { resources?: { type: string }[] } }).deployment.resources ?? [];
  const kafka = resources.filter((r) => r.type.endsWith(':KafkaProduct'));
  const byType = new Map<string, [number, number]>();
  for (const r of resources) {
    const [n, bytes] = byType.get(r.type) ?? [0, 0];
    byType.set(r.type, [n + 1, bytes + JSON.stringify(r).length]);
  }
  const fileBytes = fs.statSync(stateFile(run, stack)).size;
  // Each resource in the file is its compact JSON and a comma.
  const kubernetesBytes = resources.filter((r) => isKubernetes(r.type)).reduce((a, r) => a + JSON.stringify(r).length + 1, 0);
  return {
    bytes: exported.length,
    fileBytes,
    gitopsFileBytes: fileBytes - kubernetesBytes,
    kafkaBytes: JSON.stringify(kafka, null, 4).length,
    kafkaFileBytes: kafka.reduce((a, r) => a + JSON.stringify(r).length, 0),
    products: resources.filter((r) => r.type === 'meshform:mesh:DataProduct').length,
    kafkaProducts: kafka.length,
    byType,
  };
}

/** Several stacks' states as one. */
export function sumStates(states: StateSize[]): StateSize {
  const byType = new Map<string, [number, number]>();
  for (const s of states) for (const [type, [n, bytes]] of s.byType) byType.set(type, [(byType.get(type)?.[0] ?? 0) + n, (byType.get(type)?.[1] ?? 0) + bytes]);
  const sum = (key: Exclude<keyof StateSize, 'byType'>) => states.reduce((a, s) => a + s[key], 0);
  return {
    bytes: sum('bytes'),
    fileBytes: sum('fileBytes'),
    gitopsFileBytes: sum('gitopsFileBytes'),
    kafkaBytes: sum('kafkaBytes'),
    kafkaFileBytes: sum('kafkaFileBytes'),
    products: sum('products'),
    kafkaProducts: sum('kafkaProducts'),
    byType,
  };
}

/**
 * State per product, the file backend's first (what every checkpoint rewrites), then the export's;
 * in Crossplane mode also what the same stack keeps with its DataProducts by GitOps (computed).
 */
export function stateLine(state: StateSize): string {
  const kubernetes = state.gitopsFileBytes < state.fileBytes;
  return (
    `${kubernetes ? 'Crossplane via Pulumi: ' : ''}file backend ${perProduct(state.fileBytes, state.products)} (target <= 3 KB; its Kafka resource ${perProduct(state.kafkaFileBytes, state.kafkaProducts)}), ` +
    `pulumi stack export ${perProduct(state.bytes, state.products)} (Kafka ${perProduct(state.kafkaBytes, state.kafkaProducts)})` +
    (kubernetes ? `; Crossplane by GitOps (meshform:crossplane: gitops; computed: the same state without its kubernetes resources): file backend ${perProduct(state.gitopsFileBytes, state.products)} (target <= 3 KB)` : '')
  );
}

/** Compact JSON bytes per resource of each type, largest first. */
export function stateByType(state: StateSize): string[] {
  return [...state.byType]
    .sort(([, a], [, b]) => b[1] - a[1])
    .map(([type, [n, bytes]]) => `    ${type.padEnd(52)} ${String(n).padStart(5)} x ${(bytes / n / 1024).toFixed(2)} KB`);
}

export const perProduct = (bytes: number, products: number) => `${(bytes / Math.max(products, 1) / 1024).toFixed(2)} KB`;

/** `pulumi up` that is stopped after `limitMs`: the time, or how far it got (resources in the state) when stopped. */
async function upWithin(run: Engine, work: string, stack: string, limitMs: number): Promise<{ ms: number; finished: boolean }> {
  const t0 = Date.now();
  // Stopped as a person stops it (Ctrl-C, SIGINT): the engine finishes what is in flight and writes the state.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), limitMs);
  const result = await run.pulumiAsync(['up', '--yes', '--skip-preview', ...PARALLEL, '-s', stack], work, null, { signal: stop.signal });
  clearTimeout(timer);
  if (stop.signal.aborted) return { ms: Date.now() - t0, finished: false };
  if (result.status !== 0) throw new Error(`pulumi up -s ${stack} failed:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
  return { ms: Date.now() - t0, finished: true };
}

export async function benchPulumi(): Promise<void> {
  console.log(`== pulumi up as users run it: real engine, checkpoints on${REAL ? ', real Apache Kafka' : ''} ==`);
  const peer = peerStatus('pulumi');
  const kafkaPeer = peerStatus('kafka');
  if (!peer.home || (REAL && !kafkaPeer.home)) {
    console.log(`  skipped: ${peer.missing ?? kafkaPeer.missing}`);
    return;
  }
  const install = await packedMeshform();
  const work = workingFolder(install, 'meshform-bench-pulumi-');
  const specs = path.join(work, 'specs');
  generateMesh(specs, PRODUCTS, CHANNELS, { domains: REAL ? 1 : DOMAINS });
  const kubernetes = await startDouble('kubernetes', process.env);
  try {
    if (REAL) await realKafka(work, specs, kubernetes.port, install);
    else await split(work, specs, kubernetes.port);
  } finally {
    await kubernetes.stop();
    if (process.env.MESHFORM_BENCH_KEEP) console.log(`  kept: ${work} (MESHFORM_BENCH_KEEP)`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

/** One stack of the whole mesh versus one stack per domain, on the test broker. */
async function split(work: string, specs: string, kubernetesPort: number): Promise<void> {
  const apply = await kafkaApply(specs);
  console.log(`  ${apply.products} products in ${DOMAINS} business domains, ${apply.topics} topics, ${apply.acls} ACLs (Crossplane mode: one DataProduct object each, at the kubernetes double)`);
  console.log(line('meshform kafka apply (first, whole mesh)', apply.ms, apply.requests));
  project(work);
  const run = engine(peerStatus('pulumi'), { kubernetes: kubernetesPort });

  // 10 stacks of 100, written the user's way, 2 at a time, on one cluster.
  const broker = await startBroker();
  let splitMs: number;
  const perStack: { name: string; ms: number }[] = [];
  let splitState: StateSize | undefined;
  try {
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.dev.yaml'), stringify({ config: baseConfig(broker.bootstrap) }));
    const written = spawnSync(path.join(work, 'node_modules', '.bin', 'meshform'), ['stacks', 'plan', '--by', 'domain', '--stack', 'dev', '--write'], { cwd: work, encoding: 'utf8' });
    if (written.status !== 0) throw new Error(`meshform stacks plan failed: ${written.stderr}`);
    const names = fs
      .readdirSync(path.join(work, 'stacks'))
      .map((f) => /^Pulumi\.(dev-.+)\.yaml$/.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .sort();
    for (const name of names) initStack(run, work, name);
    const queue = [...names];
    const t0 = Date.now();
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const s0 = Date.now();
        await run.pulumiAsync(['up', '--yes', '--skip-preview', ...PARALLEL, '-s', name], work);
        perStack.push({ name, ms: Date.now() - s0 });
      }
    };
    await Promise.all([worker(), worker()]);
    splitMs = Date.now() - t0;
    const states = names.map((n) => stateOf(run, work, n));
    splitState = sumStates(states);
    const slowest = Math.max(...perStack.map((s) => s.ms));
    const mean = perStack.reduce((a, s) => a + s.ms, 0) / perStack.length;
    console.log(line(`${names.length} domain stacks of ${PRODUCTS / DOMAINS}, 2 at a time, all`, splitMs));
    console.log(`  ${`  one stack of ${PRODUCTS / DOMAINS}: mean / slowest`.padEnd(44)} ${seconds(mean)} / ${seconds(slowest).trim()}`);
  } finally {
    await broker.stop();
  }

  // The engine's floor for one 100-product stack: the same selection without Kafka.
  const { 'meshform:kafkaBootstrap': _b, 'meshform:kafkaSaslMechanism': _m, 'meshform:kafkaUsername': _u, ...noKafka } = baseConfig('none:1');
  initStack(run, work, 'floor', { ...noKafka, 'meshform:environment': 'dev', 'meshform:domains': 'bench.domain0' });
  const f0 = Date.now();
  await run.pulumiAsync(['up', '--yes', '--skip-preview', ...PARALLEL, '-s', 'floor'], work);
  const floorMs = Date.now() - f0;
  console.log(line(`  one stack of ${PRODUCTS / DOMAINS} without Kafka (the floor)`, floorMs));

  // One stack of all products, as far as it gets within the limit.
  const broker2 = await startBroker();
  try {
    initStack(run, work, 'whole', baseConfig(broker2.bootstrap));
    broker2.resetStats();
    const whole = await upWithin(run, work, 'whole', ONE_STACK_LIMIT_S * 1000);
    const state = stateOf(run, work, 'whole');
    if (whole.finished) {
      console.log(line(`one stack of ${PRODUCTS}`, whole.ms, broker2.stats().requests));
      broker2.resetStats();
      const r0 = Date.now();
      await run.pulumiAsync(['up', '--refresh', '--yes', '--skip-preview', '--expect-no-changes', '-s', 'whole'], work);
      const refresh = broker2.stats().requests;
      console.log(line('  no-op pulumi up --refresh of it', Date.now() - r0, refresh));
      console.log(`  no-op refresh: ${total(refresh)} requests; ${readsOnce(refresh)}`);
    } else {
      console.log(
        `  one stack of ${PRODUCTS}: stopped (SIGINT) after ${(whole.ms / 1000).toFixed(0)} s with ${state.kafkaProducts} of ${PRODUCTS} products' Kafka resources created (${state.products} components registered), a state of ${(state.bytes / 1e6).toFixed(1)} MB`,
      );
    }
    if (whole.finished) console.log(`  state per product, one stack: ${stateLine(state)}`);
    else console.log(`  the one stack's state when stopped: file backend ${(state.fileBytes / 1e6).toFixed(1)} MB, pulumi stack export ${(state.bytes / 1e6).toFixed(1)} MB (per product: see the domain stacks)`);
    console.log(`  state per product, domain stacks: ${stateLine(splitState!)}`);
    for (const l of stateByType(splitState!)) console.log(l);
  } finally {
    await broker2.stop();
  }
  const slowest = Math.max(...perStack.map((s) => s.ms));
  console.log(`  targets: a 100-product stack's first up <= 60 s: ${(slowest / 1000).toFixed(1)} s (slowest); the ${perStack.length} stacks <= 600 s: ${(splitMs / 1000).toFixed(1)} s`);
}

/** CPU seconds of this process's children that have ended (a `pulumi` run and the plugins it waited for), from /proc. */
export function endedChildrenCpu(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
}

/** CPU seconds a running process has used so far (the broker's JVM). */
export function processCpu(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A first `pulumi up` of `stack` in `folder`: wall time, and CPU of pulumi with its plugins and of the broker. */
async function firstUp(run: Engine, folder: string, stack: string, broker: BenchBroker): Promise<{ ms: number; cpu: number; brokerCpu: number; requests: Record<string, number> }> {
  broker.resetStats();
  const c0 = endedChildrenCpu();
  const b0 = broker.cpu();
  const t0 = Date.now();
  await run.pulumiAsync(['up', '--yes', '--skip-preview', ...PARALLEL, '-s', stack], folder);
  return { ms: Date.now() - t0, cpu: endedChildrenCpu() - c0, brokerCpu: broker.cpu() - b0, requests: broker.stats().requests };
}

const cpuText = (r: { cpu: number; brokerCpu: number }) => `  CPU: pulumi + plugins ${r.cpu.toFixed(1)} s, broker ${r.brokerCpu.toFixed(1)} s`;

/**
 * Kafka's part of a first up on real Kafka: one stack, next to kafka apply and two floors of the
 * engine, run right after it under the same load: the same stack without Kafka resources, and the
 * same program with the same Kafka resources whose provider answers at once (no Kafka).
 */
async function realKafka(work: string, specs: string, kubernetesPort: number, install: PackedInstall): Promise<void> {
  const kafkaPeer = peerStatus('kafka');
  console.log(`  Kafka ${kafkaPeer.version}, one broker, -Xmx512m, SASL/PLAIN + StandardAuthorizer, topics of one partition`);
  const apply = await kafkaApply(specs);
  console.log(`  ${apply.products} products, ${apply.topics} topics, ${apply.acls} ACLs (Crossplane mode${CROSSPLANE === 'gitops' ? ', DataProducts by GitOps' : ''})`);
  console.log(line('meshform kafka apply (first)', apply.ms, apply.requests) + `  CPU: meshform (and the counting proxy) ${apply.cpu.toFixed(1)} s, broker ${apply.brokerCpu.toFixed(1)} s`);
  project(work);
  const instant = instantKafkaFolder(install);
  project(instant);
  fs.symlinkSync(specs, path.join(instant, 'specs'), 'dir');
  const traceFile = path.join(work, 'kafka-trace.jsonl');
  const run = engine(peerStatus('pulumi'), { kubernetes: kubernetesPort }, { MESHFORM_TRACE: traceFile });
  const broker = await startBroker();
  try {
    initStack(run, work, 'dev', baseConfig(broker.bootstrap));
    const up = await firstUp(run, work, 'dev', broker);
    console.log(line('pulumi up (first)', up.ms, up.requests));
    console.log(`  ${''.padEnd(44)} ${cpuText(up)}`);
    for (const l of traceSummary(traceFile)) console.log(`    ${l}`);
    console.log(`  on the broker after the up (kafkajs): ${await onBroker(broker.bootstrap, apply)}`);
    broker.resetStats();
    const r0 = Date.now();
    const refresh = await run.pulumiAsync(['up', '--refresh', '--yes', '--skip-preview', '--expect-no-changes', '--diff', '-s', 'dev'], work, null);
    if (refresh.status !== 0) {
      // What the refresh found changed, so the failure says which resources and how.
      const changed = refresh.stdout.split('\n').filter((l) => /^\s*[~+-]\s/.test(l));
      throw new Error(`bench: the no-op refresh proposed changes (exit ${refresh.status}):\n${changed.slice(0, 60).join('\n')}\n${refresh.stderr.slice(-2000)}`);
    }
    const noop = broker.stats().requests;
    console.log(line('pulumi up --refresh (no-op)', Date.now() - r0, noop));
    console.log(`    ${readsOnce(noop)}`);

    // The floors, right after the up, under the same load.
    const { 'meshform:kafkaBootstrap': _b, 'meshform:kafkaSaslMechanism': _m, 'meshform:kafkaUsername': _u, ...noKafka } = baseConfig('none:1');
    initStack(run, work, 'floor', noKafka);
    const floor = await firstUp(run, work, 'floor', broker);
    console.log(line('floor A: the same stack without Kafka', floor.ms));
    console.log(`  ${''.padEnd(44)} ${cpuText(floor)}`);
    initStack(run, instant, 'floor-kafka', baseConfig(broker.bootstrap));
    const floorKafka = await firstUp(run, instant, 'floor-kafka', broker);
    const touched = total(floorKafka.requests);
    console.log(line('floor B: Kafka resources answered at once', floorKafka.ms) + `  ${touched} requests to Kafka (bench provider: none expected)`);
    console.log(`  ${''.padEnd(44)} ${cpuText(floorKafka)}`);
    if (touched > 0) throw new Error(`bench: floor B's provider reached Kafka (${byApi(floorKafka.requests)})`);
    const part = (floorMs: number) => `${((up.ms - floorMs) / 1000).toFixed(1)} s = ${((up.ms - floorMs) / apply.ms).toFixed(1)}x kafka apply`;
    console.log(`  Kafka's part vs floor A (up - floor A: the Kafka resources' engine work and the provider's): ${part(floor.ms)}; CPU ${(up.cpu - floor.cpu).toFixed(1)} s`);
    console.log(`  Kafka's part vs floor B (up - floor B: what the provider's work with Kafka adds):          ${part(floorKafka.ms)}; CPU ${(up.cpu - floorKafka.cpu).toFixed(1)} s`);
    console.log(`  the Kafka resources' engine work alone (floor B - floor A): ${((floorKafka.ms - floor.ms) / 1000).toFixed(1)} s; CPU ${(floorKafka.cpu - floor.cpu).toFixed(1)} s`);
    console.log(`  target (issue 22 part 5): Kafka's part <= 2x kafka apply (${((2 * apply.ms) / 1000).toFixed(1)} s): vs floor A ${up.ms - floor.ms <= 2 * apply.ms ? 'met' : 'NOT met'}, vs floor B ${up.ms - floorKafka.ms <= 2 * apply.ms ? 'met' : 'NOT met'}; first up / kafka apply: ${(up.ms / apply.ms).toFixed(1)}x`);
  } finally {
    await broker.stop();
    fs.rmSync(instant, { recursive: true, force: true });
  }
}

/**
 * Topics and ACL bindings on the cluster as kafkajs's admin client lists them (an oracle meshform
 * did not write), right after the up and, if they differ from the plan's, again 10 s later (the
 * broker's metadata may lag behind the controller's).
 */
async function onBroker(bootstrap: string, expected: { topics: number; acls: number }): Promise<string> {
  const admin = new Kafka({ brokers: [bootstrap], clientId: 'bench-oracle', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...ADMIN } }).admin();
  await admin.connect();
  try {
    const count = async () => {
      const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).length;
      const described = await admin.describeAcls({ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY });
      const acls = described.resources.filter((r) => r.resourceName !== '__meshform_lease').reduce((n, r) => n + r.acls.length, 0);
      return { topics, acls, text: `${topics} topics, ${acls} ACL bindings` };
    };
    const now = await count();
    if (now.topics === expected.topics && now.acls === expected.acls) return `${now.text}, as planned`;
    await new Promise((r) => setTimeout(r, 10_000));
    return `${now.text} (planned ${expected.topics}, ${expected.acls}: MISMATCH); 10 s later ${(await count()).text}`;
  } finally {
    await admin.disconnect();
  }
}

/** Where the Kafka provider's time went in the traced up (MESHFORM_TRACE lines, engine/trace.ts). */
function traceSummary(file: string): string[] {
  if (!fs.existsSync(file)) return ['no trace (the provider wrote no MESHFORM_TRACE lines)'];
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceLine);
  fs.rmSync(file);
  const out: string[] = [];
  for (const op of [...new Set(lines.map((l) => l.op))].sort()) {
    const of = lines.filter((l) => l.op === op);
    const busy = of.reduce((n, l) => n + l.end - l.start, 0);
    const span = Math.max(...of.map((l) => l.end)) - Math.min(...of.map((l) => l.start));
    const steps = [...new Set(of.flatMap((l) => Object.keys(l.steps)))].sort();
    const stepText = steps
      .map((s) => {
        const ms = of.reduce((n, l) => n + (l.steps[s] ?? 0), 0);
        const count = of.reduce((n, l) => n + (l.counts[s] ?? 0), 0);
        return `${s} ${(ms / of.length / 1000).toFixed(2)} s${count !== of.length ? ` (${(count / of.length).toFixed(1)}x)` : ''}`;
      })
      .join(', ');
    // Time in no marked step: the engine's own work on the product (diff, report) and waiting for the
    // event loop. `read` runs inside `readBack` (its rounds), so it is not counted twice.
    const marked = (l: TraceLine) => Object.entries(l.steps).reduce((n, [name, ms]) => (name === 'read' ? n : n + ms), 0);
    const other = of.reduce((n, l) => n + l.end - l.start - marked(l), 0);
    out.push(`provider ${op}: ${of.length} products, mean ${(busy / of.length / 1000).toFixed(2)} s each (${stepText}${stepText ? ', ' : ''}other ${(other / of.length / 1000).toFixed(2)} s); first start to last end ${(span / 1000).toFixed(1)} s, ${(busy / Math.max(span, 1)).toFixed(1)} at once on average`);
  }
  return out;
}
