/**
 * `meshform dev up [paths] [--stack <name>] [--runtime containers|jvm|in-process] [--json]` and
 * `meshform dev down [--json]`: a product team's sandbox in one command. `up` starts Kafka (and a
 * schema registry when the mesh has schemas, in the containers runtime), applies the mesh with the
 * engines of `kafka apply` and `schemas apply`, and prints per product its SASL user, the sandbox's
 * generated password for it, its group prefix and a kcat line. A second `up` re-applies to the
 * running sandbox (it is started again only when the mesh gained a product, whose SASL user Kafka
 * must be started with). `down` removes every container, volume and process `up` made.
 *
 * The sandbox is named after the current folder. Runtimes:
 *   - containers: the Docker CLI runs Kafka (MESHFORM_KAFKA_IMAGE, else apache/kafka:4.1.1) and the
 *     registry (MESHFORM_REGISTRY_IMAGE, else apicurio/apicurio-registry:3.0.9), ports on 127.0.0.1;
 *     what the sandbox is (port, users) is read back from the containers themselves;
 *   - jvm: Apache Kafka from KAFKA_HOME (a Kafka download: its libs/), one detached JVM;
 *   - in-process: meshform's test broker (`kafka-test-broker`), one detached Node.js process.
 * The two process runtimes keep their state (pid, port, users) under the system's temp folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { LABEL_OWNER, LABEL_ROLE, LABEL_SANDBOX, probeEngine } from '../containers/engine';
import { kafkaContainerPlan, kafkaImage, KAFKA_CONTAINER_PORT, newClusterId } from '../containers/kafka';
import { CCOMPAT_PATH, registryImage, REGISTRY_CONTAINER_PORT, waitForRegistryApi } from '../containers/registry';
import { findProgram, freePort, processAlive } from '../local-host';
import { loadMesh } from '../model';
import { planMesh, productPrincipal } from '../plan';
import type { Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { formatDiagnostic, hasErrors } from '../vocabulary/diagnostics';
import { provisionKafka, provisionSchemas, productIds, sandboxStack, sandboxUsers, saslUsers, type SandboxUsers } from '../testing/provision';
import { loadStackOrExit } from './inputs';
import { EXIT, type Io } from './io';

export type DevRuntime = 'containers' | 'jvm' | 'in-process';
export const DEV_RUNTIMES: readonly DevRuntime[] = ['containers', 'jvm', 'in-process'];

export interface DevUpOptions {
  stack?: string;
  runtime?: DevRuntime;
  json?: boolean;
}

export interface DevDownOptions {
  json?: boolean;
}

/** A failure the user can act on: printed as `meshform dev: <message>`, exit 2. */
class DevError extends Error {}

interface Running {
  bootstrap: string;
  users: SandboxUsers;
  /** What runs, for the first line. */
  description: string;
  registry?: string;
}

const START_TIMEOUT_MS = 120_000;

/** The sandbox's name: the current folder's, as Docker accepts it in a container name. */
export function sandboxName(cwd = process.cwd()): string {
  return basename(cwd).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'sandbox';
}

function stateDir(name: string): string {
  return join(tmpdir(), 'meshform-dev', name);
}

function containerName(name: string, role: 'kafka' | 'registry'): string {
  return `meshform-dev-${name}-${role}`;
}

// ---------------------------------------------------------------------------------------------
// Docker CLI

function docker(args: string[], timeoutMs = 60_000): { ok: boolean; out: string; err: string } {
  const res = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs });
  return { ok: res.status === 0, out: (res.stdout ?? '').trim(), err: (res.stderr ?? res.error?.message ?? '').trim() };
}

interface Inspected {
  running: boolean;
  env: Record<string, string>;
  hostPort?: number;
}

function inspect(container: string, port: number): Inspected | undefined {
  const res = docker(['inspect', '--type', 'container', container]);
  if (!res.ok) return undefined;
  const [info] = JSON.parse(res.out) as Array<{ State: { Running: boolean }; Config: { Env: string[] }; NetworkSettings: { Ports: Record<string, Array<{ HostPort: string }> | null> } }>;
  const env = Object.fromEntries(info.Config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const binding = info.NetworkSettings.Ports[`${port}/tcp`]?.[0];
  return { running: info.State.Running, env, hostPort: binding ? Number(binding.HostPort) : undefined };
}

/** `{user: password}` from the JAAS line the Kafka container was started with. */
function usersInJaas(jaas: string | undefined): Record<string, string> {
  return Object.fromEntries([...(jaas ?? '').matchAll(/user_(\S+?)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** Runs a container detached, its environment from a file only this user can read (never on a command line). */
function dockerRun(name: string, sandbox: string, role: string, image: string, ports: string, env: Record<string, string>): void {
  const dir = stateDir(sandbox);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const envFile = join(dir, `${role}.env`);
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  try {
    const res = docker(['run', '-d', '--name', name, '--label', `${LABEL_OWNER}=dev`, '--label', `${LABEL_SANDBOX}=${sandbox}`, '--label', `${LABEL_ROLE}=${role}`, '-p', ports, '--env-file', envFile, image]);
    if (!res.ok) throw new DevError(`docker run ${image} failed: ${res.err.split('\n').pop()}`);
  } finally {
    rmSync(envFile, { force: true });
  }
}

function removeContainers(sandbox: string): string[] {
  const listed = docker(['ps', '-a', '--filter', `label=${LABEL_SANDBOX}=${sandbox}`, '--format', '{{.Names}}']);
  if (!listed.ok) throw new DevError(`docker ps failed: ${listed.err}`);
  const names = listed.out.split('\n').filter(Boolean);
  if (names.length) {
    const removed = docker(['rm', '-f', '-v', ...names]);
    if (!removed.ok) throw new DevError(`docker rm failed: ${removed.err}`);
  }
  return names;
}

async function dockerReady(io: Io): Promise<void> {
  if (!findProgram('docker')) throw new DevError('the containers runtime needs the docker CLI on PATH (or --runtime in-process)');
  const engine = await probeEngine();
  if (!engine.ok) throw new DevError(`${engine.reason}; --runtime in-process runs without Docker`);
  io.err(`meshform dev: Docker engine at ${engine.where}`);
}

/** Kafka in a container; kept when it runs with every user the mesh needs, else started (again). */
async function upContainers(io: Io, sandbox: string, users: SandboxUsers, needRegistry: boolean): Promise<Running> {
  await dockerReady(io);
  const image = kafkaImage();
  const name = containerName(sandbox, 'kafka');
  const found = inspect(name, KAFKA_CONTAINER_PORT);
  const had = usersInJaas(found?.env.KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG);
  const wanted = saslUsers(users);
  const missing = Object.keys(wanted).filter((u) => had[u] === undefined);
  let bootstrap: string;
  if (found?.running && found.hostPort && !missing.length) {
    bootstrap = `127.0.0.1:${found.hostPort}`;
    io.err(`meshform dev: Kafka already runs in ${name} at ${bootstrap}: re-applying`);
    await waitForKafka(bootstrap, users, () => inspect(name, KAFKA_CONTAINER_PORT)?.running ?? false, () => docker(['logs', '--tail', '20', name]).err);
  } else {
    if (found) {
      io.err(`meshform dev: starting ${name} again (${found.running ? `new SASL users: ${missing.join(', ')}` : 'it had stopped'}); its topics and messages are gone`);
      docker(['rm', '-f', '-v', name]);
    }
    const hostPort = await freePort();
    const plan = kafkaContainerPlan({ image, users: { ...wanted }, superUsers: [`User:${users.admin.username}`], hostPort });
    dockerRun(name, sandbox, 'kafka', image, `127.0.0.1:${hostPort}:${KAFKA_CONTAINER_PORT}`, plan.env);
    bootstrap = `127.0.0.1:${hostPort}`;
    io.err(`meshform dev: started ${name} (${image}) at ${bootstrap}`);
    await waitForKafka(bootstrap, users, () => inspect(name, KAFKA_CONTAINER_PORT)?.running ?? false, () => docker(['logs', '--tail', '20', name]).err);
  }
  let registry: string | undefined;
  if (needRegistry) {
    const regName = containerName(sandbox, 'registry');
    const regFound = inspect(regName, REGISTRY_CONTAINER_PORT);
    if (regFound?.running && regFound.hostPort) {
      registry = `http://127.0.0.1:${regFound.hostPort}${CCOMPAT_PATH}`;
    } else {
      if (regFound) docker(['rm', '-f', '-v', regName]);
      const port = await freePort();
      const regImage = registryImage();
      dockerRun(regName, sandbox, 'registry', regImage, `127.0.0.1:${port}:${REGISTRY_CONTAINER_PORT}`, {});
      registry = `http://127.0.0.1:${port}${CCOMPAT_PATH}`;
      io.err(`meshform dev: started ${regName} (${regImage}) at ${registry}`);
    }
    await waitForRegistryApi(registry, START_TIMEOUT_MS, () => inspect(regName, REGISTRY_CONTAINER_PORT)?.running ?? false);
  }
  return { bootstrap, users, registry, description: `containers (${image})` };
}

// ---------------------------------------------------------------------------------------------
// Detached processes (jvm, in-process)

interface ProcessState {
  runtime: DevRuntime;
  pid: number;
  bootstrap: string;
  users: SandboxUsers;
}

function readState(sandbox: string): ProcessState | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir(sandbox), 'state.json'), 'utf8')) as ProcessState;
  } catch {
    return undefined;
  }
}

async function stopProcess(pid: number): Promise<void> {
  if (!processAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** `server.properties` text from KAFKA_* variables, as the official image's KafkaDockerWrapper maps them. */
export function propertiesFromEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .filter(([k]) => k.startsWith('KAFKA_'))
    .map(([k, v]) => `${k.slice('KAFKA_'.length).toLowerCase().replace(/_/g, '.').replace(/\.\.\./g, '-').replace(/\.\./g, '_')}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n')
    .concat('\n');
}

function detached(command: string, args: string[], log: string): number {
  const out = openSync(log, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new DevError(`cannot start ${command}`);
  return child.pid;
}

async function upProcess(io: Io, sandbox: string, runtime: 'jvm' | 'in-process', users: SandboxUsers): Promise<Running> {
  const dir = stateDir(sandbox);
  const previous = readState(sandbox);
  const wanted = saslUsers(users);
  if (previous && processAlive(previous.pid)) {
    const had = saslUsers(previous.users);
    const missing = Object.keys(wanted).filter((u) => had[u] === undefined);
    if (previous.runtime === runtime && !missing.length) {
      io.err(`meshform dev: ${runtime} Kafka already runs (pid ${previous.pid}) at ${previous.bootstrap}: re-applying`);
      return { bootstrap: previous.bootstrap, users, description: runtime === 'jvm' ? 'jvm (KAFKA_HOME)' : 'in-process test broker' };
    }
    io.err(`meshform dev: stopping the ${previous.runtime} Kafka (pid ${previous.pid}) to start it ${missing.length ? `with new SASL users: ${missing.join(', ')}` : `as ${runtime}`}`);
    await stopProcess(previous.pid);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const bootstrap = `127.0.0.1:${port}`;
  const log = join(dir, `${runtime}.log`);
  let pid: number;
  if (runtime === 'in-process') {
    const usersFile = join(dir, 'users.json');
    writeFileSync(usersFile, JSON.stringify(wanted), { mode: 0o600 });
    const cli = require.resolve('@meshform/kafka-test-broker/bin/kafka-test-broker.js');
    pid = detached(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1', '--sasl-users', usersFile, '--super-users', `User:${users.admin.username}`, '--authorizer'], log);
  } else {
    const home = process.env.KAFKA_HOME;
    if (!home || !existsSync(join(home, 'libs'))) throw new DevError('--runtime jvm needs KAFKA_HOME: an Apache Kafka (4.x) folder with its libs/ (an Apache Kafka download); or --runtime containers / in-process');
    const [broker, controller] = [await freePort(), await freePort()];
    const env = kafkaContainerPlan({ image: '', users: wanted, superUsers: [`User:${users.admin.username}`], hostPort: port }).env;
    const properties = propertiesFromEnv({
      ...env,
      KAFKA_LISTENERS: `CLIENT://127.0.0.1:${port},BROKER://127.0.0.1:${broker},CONTROLLER://127.0.0.1:${controller}`,
      KAFKA_ADVERTISED_LISTENERS: `CLIENT://127.0.0.1:${port},BROKER://127.0.0.1:${broker}`,
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${controller}`,
      KAFKA_LOG_DIRS: join(dir, 'data'),
    });
    const file = join(dir, 'server.properties');
    writeFileSync(file, properties, { mode: 0o600 });
    const classpath = join(home, 'libs', '*');
    const format = spawnSync('java', ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', file], { encoding: 'utf8' });
    if (format.status !== 0) throw new DevError(`formatting Kafka's storage failed: ${(format.stderr || format.stdout || format.error?.message || '').trim().split('\n').pop()}`);
    pid = detached('java', ['-Xmx512m', '-XX:TieredStopAtLevel=1', '-cp', classpath, 'kafka.Kafka', file], log);
  }
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ runtime, pid, bootstrap, users } satisfies ProcessState), { mode: 0o600 });
  io.err(`meshform dev: started ${runtime === 'jvm' ? 'Apache Kafka from KAFKA_HOME' : 'the in-process test broker'} (pid ${pid}) at ${bootstrap}`);
  await waitForKafka(bootstrap, users, () => processAlive(pid), () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-20).join('\n') : ''));
  return { bootstrap, users, description: runtime === 'jvm' ? 'jvm (KAFKA_HOME)' : 'in-process test broker' };
}

/** Until the admin can read the cluster's metadata; fails when the broker stops or the time is up, with its last log lines. */
async function waitForKafka(bootstrap: string, users: SandboxUsers, running: () => boolean, logTail: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (!running()) throw new DevError(`Kafka stopped before it served clients; its log ends:\n${logTail()}`);
    const admin = new Kafka({ brokers: [bootstrap], clientId: 'meshform-dev', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...users.admin }, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (e) {
      last = (e as Error).message;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new DevError(`Kafka at ${bootstrap} did not serve clients within ${START_TIMEOUT_MS / 1000} s (${last}); its log ends:\n${logTail()}`);
}

// ---------------------------------------------------------------------------------------------
// The verbs

async function loadSandboxPlan(io: Io, paths: string[], stackName: string | undefined): Promise<{ plan: Plan; stack: StackConfig } | number> {
  let given: StackConfig | undefined;
  if (stackName !== undefined) {
    const loaded = loadStackOrExit(io, stackName);
    if (!loaded.ok) return loaded.exit;
    given = loaded.value;
  }
  const stack = sandboxStack(given);
  const { mesh, diagnostics } = await loadMesh(paths.length ? paths : [stack.specs]);
  for (const d of diagnostics) io.err(formatDiagnostic(d));
  if (!mesh || hasErrors(diagnostics)) return diagnostics.length ? EXIT.FAILED : EXIT.USAGE;
  return { plan: planMesh(mesh, stack), stack };
}

/** The group prefixes a product's principal may use, from the plan's GROUP ACLs. */
function groupPrefixes(plan: Plan, principal: string): string[] {
  return [...new Set(plan.resources.flatMap((r) => (r.kind === 'kafka:Acl' && r.properties.resourceType === 'GROUP' && r.properties.principal === principal && r.properties.permission === 'ALLOW' && r.properties.patternType === 'PREFIXED' ? [r.properties.resourceName] : [])))];
}

export async function runDevUp(paths: string[], options: DevUpOptions, io: Io): Promise<number> {
  const loaded = await loadSandboxPlan(io, paths, options.stack);
  if (typeof loaded === 'number') return loaded;
  const { plan, stack } = loaded;
  const sandbox = sandboxName();
  const runtime = options.runtime ?? 'containers';
  const previous = runtime === 'containers' ? undefined : readState(sandbox)?.users;
  const needRegistry = plan.resources.some((r) => r.kind === 'schema:Subject');
  try {
    const existing = runtime === 'containers' ? existingContainerUsers(sandbox) : previous;
    const users = sandboxUsers(plan, stack, existing);
    const running = runtime === 'containers' ? await upContainers(io, sandbox, users, needRegistry) : await upProcess(io, sandbox, runtime, users);
    if (needRegistry && !running.registry) io.err(`meshform dev: the ${runtime} runtime has no schema registry: schemas not registered (--runtime containers runs one)`);
    const kafka = await provisionKafka(running.bootstrap, plan, stack, running.users);
    io.err(`meshform dev: kafka: ${kafka.summary.create} created, ${kafka.summary.update} updated, ${kafka.summary.unchanged} unchanged`);
    if (running.registry) {
      const schemas = await provisionSchemas(running.registry, plan, stack);
      io.err(`meshform dev: schemas: ${schemas.summary.create} registered, ${schemas.summary.update} updated, ${schemas.summary.unchanged} unchanged`);
    }
    printSandbox(io, sandbox, running, plan, stack, Boolean(options.json));
    return EXIT.OK;
  } catch (e) {
    if (e instanceof DevError) {
      io.err(`meshform dev: ${e.message}`);
      return EXIT.USAGE;
    }
    io.err(`meshform dev: ${(e as Error).message}`);
    return EXIT.FAILED;
  }
}

/** The users a running Kafka container of this sandbox was started with, so a second `up` keeps them. */
function existingContainerUsers(sandbox: string): SandboxUsers | undefined {
  if (!findProgram('docker')) return undefined;
  const found = inspect(containerName(sandbox, 'kafka'), KAFKA_CONTAINER_PORT);
  if (!found?.running) return undefined;
  const had = usersInJaas(found.env.KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG);
  if (had.admin === undefined) return undefined;
  const credentials = Object.fromEntries(Object.entries(had).filter(([u]) => u !== 'admin').map(([username, password]) => [`User:${username}`, { username, password }]));
  return { admin: { username: 'admin', password: had.admin }, credentials };
}

function printSandbox(io: Io, sandbox: string, running: Running, plan: Plan, stack: StackConfig, json: boolean): void {
  const products = productIds(plan).map((id) => {
    const principal = productPrincipal(id, stack);
    const user = running.users.credentials[principal];
    const prefixes = groupPrefixes(plan, principal);
    return { id, principal, username: user.username, password: user.password, groupPrefix: prefixes.find((p) => p.endsWith('.')) ?? prefixes[0] ?? `${id}.` };
  });
  if (json) {
    io.out(
      `${JSON.stringify(
        {
          sandbox,
          bootstrap: running.bootstrap,
          ...(running.registry && { registry: running.registry }),
          products: Object.fromEntries(products.map((p) => [p.id, { username: p.username, password: p.password, groupPrefix: p.groupPrefix }])),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const lines = [`sandbox ${sandbox}: ${running.description}`, `bootstrap: ${running.bootstrap}`];
  if (running.registry) lines.push(`registry:  ${running.registry}`);
  for (const p of products) {
    lines.push('', p.id, `  user: ${p.username}  password: ${p.password}  group prefix: ${p.groupPrefix}`);
    lines.push(`  kcat -b ${running.bootstrap} -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=PLAIN -X sasl.username=${p.username} -X sasl.password=${p.password} -L`);
  }
  io.out(`${lines.join('\n')}\n`);
}

export async function runDevDown(options: DevDownOptions, io: Io): Promise<number> {
  const sandbox = sandboxName();
  const removed: string[] = [];
  try {
    if (findProgram('docker') && (await probeEngine()).ok) removed.push(...removeContainers(sandbox).map((n) => `container ${n}`));
    const state = readState(sandbox);
    if (state) {
      await stopProcess(state.pid);
      removed.push(`${state.runtime} Kafka (pid ${state.pid})`);
    }
    rmSync(stateDir(sandbox), { recursive: true, force: true });
  } catch (e) {
    io.err(`meshform dev: ${(e as Error).message}`);
    return EXIT.USAGE;
  }
  if (options.json) io.out(`${JSON.stringify({ sandbox, removed }, null, 2)}\n`);
  else io.err(removed.length ? `meshform dev: removed ${removed.join(', ')} (with their volumes and data)` : `meshform dev: sandbox ${sandbox} has nothing running`);
  return EXIT.OK;
}
