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
 * `meshform kafka apply`. It says which backend it started and why.
 */
import { randomBytes } from 'node:crypto';
import { formatDiagnostic, hasErrors } from '../vocabulary/diagnostics';
import { OwnershipScope, reconcileKafka, type KafkaReport } from '../adapters/kafka';
import { loadMesh } from '../model';
import { planMesh, productPrincipal } from '../plan';
import type { Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { kafkaImage } from '../containers/kafka';
import { containerBackendProblem, startKafkaContainer } from './containers';
import { waitUntilServing, type Credentials } from './ready';

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
  const stack = testStackFrom(options.stack);
  const plan = options.plan ?? (await planFromSpecs(options.specs, stack));
  const ids = plan.products.length ? plan.products.map((p) => p.id) : [...new Set(plan.resources.map((r) => r.product))];

  const admin: Credentials = { username: 'admin', password: secret() };
  const credentials: Record<string, Credentials> = {};
  for (const id of ids) {
    const principal = productPrincipal(id, stack);
    if (!principal.startsWith('User:')) throw new Error(`principal ${principal} is not a SASL user principal (User:<name>)`);
    credentials[principal] = { username: principal.slice('User:'.length), password: secret() };
  }
  const users = Object.fromEntries([admin, ...Object.values(credentials)].map((c) => [c.username, c.password]));

  const started = await startBackend(options.backend ?? 'auto', kafkaImage(options.image), users, options.realKafka);
  log(`meshform/testing: ${started.description} at ${started.bootstrap}${started.why ? ` (${started.why})` : ''}`);

  try {
    const provisioned = await reconcileKafka(
      { brokers: [started.bootstrap], clientId: 'meshform-testing', tls: false, sasl: { mechanism: 'plain', ...admin } },
      {
        resources: plan.resources,
        scope: OwnershipScope.ofProducts(ids, stack.kafka.principalTemplate),
        permissions: { allowDelete: false, allowDeletePrivate: false },
        mode: 'apply',
      },
    );
    if (provisioned.summary.failed > 0 || provisioned.summary.refused > 0) {
      const bad = provisioned.resources.filter((r) => r.state === 'FAILED' || r.state === 'REFUSED');
      throw new Error(`provisioning failed: ${bad.map((r) => `${r.name}: ${r.error ?? r.reason}`).join('; ')}`);
    }
    await waitUntilServing({ bootstrap: started.bootstrap, plan, admin, credentials });
    return { backend: started.backend, bootstrap: started.bootstrap, credentials, admin, provisioned, stop: started.stop };
  } catch (e) {
    await started.stop();
    throw e;
  }
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

function testStackFrom(stack: StackConfig | undefined): StackConfig {
  const base: StackConfig = stack ?? {
    name: 'test',
    environment: 'test',
    gcp: { project: 'test', location: 'EU' },
    kafka: {
      principalTemplate: 'User:{domain}',
      defaultPartitions: 1,
      defaultReplicas: 1,
      partitionFactor: 1,
      allowDelete: false,
      allowDeletePrivate: false,
      allowBreaking: false,
      connection: { clientId: 'meshform-testing', tls: false },
    },
    crossplane: { enabled: false, namespace: 'default' },
    schemas: { compatibility: 'BACKWARD', registry: {} },
    protect: false,
    specs: 'specs',
  };
  return { ...base, crossplane: { ...base.crossplane, enabled: false }, kafka: { ...base.kafka, replicasCap: 1 } };
}

function secret(): string {
  return randomBytes(12).toString('base64url');
}
