/**
 * `meshform/testing`: a Kafka for a product repo's tests, provisioned from its specs.
 *
 * Backends, in the order `auto` tries them:
 *  - testcontainers: Kafka in a container where a Docker engine answers and the optional package
 *    testcontainers is installed (apache/kafka:4.1.1 by default; MESHFORM_KAFKA_IMAGE or `image`
 *    name another, cp-kafka images too);
 *  - real: an Apache Kafka the caller starts (`realKafka`: a function that starts one for the given
 *    SASL users, e.g. meshform's own suites pass the JVM of `npm run -s peers -- install kafka`);
 *  - in-process: meshform's own test broker (a double of Kafka's wire protocol).
 * Each with SASL/PLAIN and the standard authorizer (no access without an ACL), one SASL user per
 * product principal plus an admin, and the specs applied by the same reconcile engine as
 * `meshform kafka apply`. It says which backend it started and why, and returns only when every
 * partition is served by its leader and every product sees its topics (ready.ts).
 *
 * `startMeshRegistry`: a schema registry in a container (Apicurio, Confluent-compatible API) with the
 * specs' schemas registered; `startMesh`: both.
 */
import { formatDiagnostic, hasErrors } from '../vocabulary/diagnostics';
import type { KafkaReport } from '../adapters/kafka';
import type { SchemaReport } from '../adapters/schema-registry';
import { loadMesh } from '../model';
import { planMesh } from '../plan';
import type { Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { kafkaImage } from '../containers/kafka';
import { registryImage } from '../containers/registry';
import { containerBackendProblem, startKafkaContainer, startRegistryContainer } from './containers';
import { provisionKafka, provisionSchemas, sandboxStack, sandboxUsers, saslUsers } from './provision';
import type { Credentials } from './ready';

export type MeshKafkaBackend = 'testcontainers' | 'real' | 'in-process';

export interface MeshKafkaOptions {
  /** Spec files or folders, as for `meshform validate`. Either this or `plan`. */
  specs?: string | string[];
  /** A ready plan (e.g. built in code), instead of specs. */
  plan?: Plan;
  /** Stack settings for sizing and principals; replicas are capped at 1 (one broker). Default: a test stack. */
  stack?: StackConfig;
  /** `auto` (default): testcontainers when a Docker engine answers, else `realKafka` when given, else in-process. */
  backend?: 'auto' | MeshKafkaBackend;
  /** Starts a real Kafka for the `real` backend (and for `auto` after containers). */
  realKafka?: RealKafkaStarter;
  /**
   * The container backend's image: default MESHFORM_KAFKA_IMAGE, else apache/kafka:4.1.1. Images
   * configured like the official apache/kafka one (KAFKA_* variables) and confluentinc/cp-kafka
   * (>= 7.5: KRaft with SASL) both work.
   */
  image?: string;
  /** Where to say which backend started (default: stderr). */
  log?: (line: string) => void;
}

/** What the `real` backend needs: a Kafka with these SASL/PLAIN users, the standard authorizer and these super users. */
export type RealKafkaStarter = (options: { saslUsers: Record<string, string>; superUsers: string[] }) => Promise<{
  bootstrap: string;
  /** For the log line, e.g. `real Apache Kafka 4.1.1 from <folder>`. */
  description: string;
  stop(): Promise<void>;
}>;

export type { Credentials };

export interface MeshKafka {
  backend: MeshKafkaBackend;
  bootstrap: string;
  /** SASL/PLAIN credentials by principal, e.g. `credentials['User:acme.retail.orders']`. */
  credentials: Record<string, Credentials>;
  /** A super user, for test setup that the products themselves may not do. */
  admin: Credentials;
  /** What provisioning did (every resource CREATED on a fresh cluster). */
  provisioned: KafkaReport;
  stop(): Promise<void>;
}

export { DEFAULT_KAFKA_IMAGE as DEFAULT_IMAGE } from '../containers/kafka';

export async function startMeshKafka(options: MeshKafkaOptions): Promise<MeshKafka> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stack = sandboxStack(options.stack);
  const plan = options.plan ?? (await planFromSpecs(options.specs, stack));
  const users = sandboxUsers(plan, stack);

  const started = await startBackend(options.backend ?? 'auto', kafkaImage(options.image), saslUsers(users), options.realKafka);
  log(`meshform/testing: ${started.description} at ${started.bootstrap}${started.why ? ` (${started.why})` : ''}`);
  try {
    const provisioned = await provisionKafka(started.bootstrap, plan, stack, users);
    return { backend: started.backend, bootstrap: started.bootstrap, ...users, provisioned, stop: started.stop };
  } catch (e) {
    await started.stop();
    throw e;
  }
}

export interface MeshRegistryOptions {
  /** Spec files or folders, as for `meshform validate`. Either this or `plan`. */
  specs?: string | string[];
  plan?: Plan;
  /** Stack settings (compatibility level, principals). Default: a test stack (BACKWARD). */
  stack?: StackConfig;
  /** The registry's image: default MESHFORM_REGISTRY_IMAGE, else apicurio/apicurio-registry:3.0.9. */
  image?: string;
  log?: (line: string) => void;
}

export interface MeshRegistry {
  /** The Confluent-compatible API's base URL, e.g. `http://127.0.0.1:40123/apis/ccompat/v7`. */
  url: string;
  /** What registering did (every subject CREATED on a fresh registry). */
  provisioned: SchemaReport;
  stop(): Promise<void>;
}

/**
 * A schema registry in a container (Apicurio Registry, Confluent-compatible API) with the specs'
 * schemas registered and each subject's compatibility set, as `meshform schemas apply` does.
 * Needs a Docker engine and the optional package testcontainers.
 */
export async function startMeshRegistry(options: MeshRegistryOptions): Promise<MeshRegistry> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stack = sandboxStack(options.stack);
  const plan = options.plan ?? (await planFromSpecs(options.specs, stack));
  const problem = await containerBackendProblem();
  if (problem) throw new Error(`no container runtime: ${problem.message}`);
  const registry = await startRegistryContainer({ image: registryImage(options.image) });
  log(`meshform/testing: ${registry.description} at ${registry.address}`);
  try {
    return { url: registry.address, provisioned: await provisionSchemas(registry.address, plan, stack), stop: registry.stop };
  } catch (e) {
    await registry.stop();
    throw e;
  }
}

export interface StartedMesh {
  kafka: MeshKafka;
  registry: MeshRegistry;
  stop(): Promise<void>;
}

/** Kafka and a schema registry, both provisioned from the same specs (see startMeshKafka and startMeshRegistry). */
export async function startMesh(options: MeshKafkaOptions & { registryImage?: string }): Promise<StartedMesh> {
  const stack = sandboxStack(options.stack);
  const plan = options.plan ?? (await planFromSpecs(options.specs, stack));
  const [kafka, registry] = await Promise.allSettled([
    startMeshKafka({ ...options, plan, stack }),
    startMeshRegistry({ plan, stack, image: options.registryImage, log: options.log }),
  ]);
  if (kafka.status === 'rejected' || registry.status === 'rejected') {
    await Promise.all([kafka, registry].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw (kafka.status === 'rejected' ? kafka.reason : (registry as PromiseRejectedResult).reason) as Error;
  }
  return {
    kafka: kafka.value,
    registry: registry.value,
    stop: async () => void (await Promise.all([kafka.value.stop(), registry.value.stop()])),
  };
}

interface Started {
  backend: MeshKafkaBackend;
  bootstrap: string;
  /** For the log line: what runs. */
  description: string;
  /** Why this backend and not an earlier one in the `auto` order. */
  why?: string;
  stop(): Promise<void>;
}

async function startBackend(
  wanted: 'auto' | MeshKafkaBackend,
  image: string,
  users: Record<string, string>,
  realKafka: RealKafkaStarter | undefined,
): Promise<Started> {
  const skipped: string[] = [];
  if (wanted === 'auto' || wanted === 'testcontainers') {
    const problem = await containerBackendProblem();
    if (!problem) {
      const container = await startKafkaContainer({ image, users, superUsers: ['User:admin'] });
      return { backend: 'testcontainers', bootstrap: container.address, description: container.description, stop: container.stop };
    }
    if (wanted === 'testcontainers') throw new Error(`no container runtime: ${problem.message}`);
    skipped.push(`no container runtime: ${problem.message}`);
  }
  if (wanted === 'auto' || wanted === 'real') {
    let reason = 'no realKafka option (a function that starts one) was given';
    if (realKafka) {
      try {
        const real = await realKafka({ saslUsers: users, superUsers: ['User:admin'] });
        return { backend: 'real', ...real, why: skipped.join('; ') || undefined };
      } catch (e) {
        reason = (e as Error).message;
      }
    }
    if (wanted === 'real') throw new Error(`no real Kafka: ${reason}`);
    skipped.push(`no real Kafka: ${reason}`);
  }
  return { ...(await startInProcess(users)), why: skipped.join('; ') || 'in-process backend requested' };
}

async function startInProcess(users: Record<string, string>): Promise<Started> {
  const { startTestBroker } = await import('@meshform/kafka-test-broker');
  const broker = await startTestBroker({ brokers: 1, saslUsers: users, superUsers: ['User:admin'], authorizer: true });
  return { backend: 'in-process', bootstrap: broker.bootstrap, description: 'in-process test broker', stop: () => broker.stop() };
}

/** Whether the container backend can run: the optional package is installed and a Docker engine answers. */
export async function probeContainerRuntime(): Promise<{ ok: boolean; reason: string }> {
  const problem = await containerBackendProblem();
  return problem ? { ok: false, reason: problem.message } : { ok: true, reason: 'a Docker engine answers' };
}

async function planFromSpecs(specs: string | string[] | undefined, stack: StackConfig): Promise<Plan> {
  if (specs === undefined) throw new Error('startMeshKafka needs specs (paths) or a plan');
  const { mesh, diagnostics } = await loadMesh(Array.isArray(specs) ? specs : [specs]);
  if (!mesh || hasErrors(diagnostics)) {
    throw new Error(`specs have errors:\n${diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n')}`);
  }
  return planMesh(mesh, stack);
}
