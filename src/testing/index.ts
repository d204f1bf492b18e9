/**
 * `meshform/testing`: a Kafka for a product repo's tests, provisioned from its specs.
 *
 * Backends, in the order `auto` tries them:
 *  - testcontainers: confluentinc/cp-kafka where a container runtime answers;
 *  - real: an Apache Kafka the caller starts (`realKafka`: a function that starts one for the given
 *    SASL users, e.g. meshform's own suites pass the JVM of `npm run -s peers -- install kafka`);
 *  - in-process: meshform's own test broker (a double of Kafka's wire protocol).
 * Each with SASL/PLAIN and the standard authorizer (no access without an ACL), one SASL user per
 * product principal plus an admin, and the specs applied by the same reconcile engine as
 * `meshform kafka apply`. It says which backend it started and why.
 */
import { randomBytes } from 'node:crypto';
import { formatDiagnostic, hasErrors } from '../vocabulary/diagnostics';
import { OwnershipScope, reconcileKafka, type KafkaReport, plainLogin } from '../adapters/kafka';
import { loadMesh } from '../model';
import { planMesh, productPrincipal } from '../plan';
import type { Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';

export type MeshKafkaBackend = 'testcontainers' | 'real' | 'in-process';

export interface MeshKafkaOptions {
  /** Spec files or folders, as for `meshform validate`. Either this or `plan`. */
  specs?: string | string[];
  /** A ready plan (e.g. built in code), instead of specs. */
  plan?: Plan;
  /** Stack settings for sizing and principals; replicas are capped at 1 (one broker). Default: a test stack. */
  stack?: StackConfig;
  /** `auto` (default): testcontainers when a container runtime answers, else `realKafka` when given, else in-process. */
  backend?: 'auto' | MeshKafkaBackend;
  /** Starts a real Kafka for the `real` backend (and for `auto` after containers). */
  realKafka?: RealKafkaStarter;
  /** cp-kafka image for the container backend (KRaft with SASL needs >= 7.5). */
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

export interface Credentials {
  username: string;
  password: string;
}

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

export const DEFAULT_IMAGE = 'confluentinc/cp-kafka:7.6.1';

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

  const started = await startBackend(options.backend ?? 'auto', options.image ?? DEFAULT_IMAGE, users, options.realKafka);
  log(`meshform/testing: ${started.description} at ${started.bootstrap}${started.why ? ` (${started.why})` : ''}`);

  try {
    const provisioned = await reconcileKafka(
      { brokers: [started.bootstrap], clientId: 'meshform-testing', tls: false, sasl: plainLogin(admin) },
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
    const runtime = await probeContainerRuntime();
    if (runtime.ok) return startContainer(image, users);
    if (wanted === 'testcontainers') throw new Error(`no container runtime: ${runtime.reason}`);
    skipped.push(`no container runtime: ${runtime.reason}`);
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

/** cp-kafka in KRaft mode; the host-facing listener speaks SASL_PLAINTEXT/PLAIN with the standard authorizer. */
async function startContainer(image: string, users: Record<string, string>): Promise<Started> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const jaasUsers = Object.entries(users).map(([u, p]) => `user_${u}="${p}"`).join(' ');
  const container = await new KafkaContainer(image)
    .withKraft()
    .withEnvironment({
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'BROKER:PLAINTEXT,PLAINTEXT:SASL_PLAINTEXT',
      KAFKA_SASL_ENABLED_MECHANISMS: 'PLAIN',
      KAFKA_LISTENER_NAME_PLAINTEXT_SASL_ENABLED_MECHANISMS: 'PLAIN',
      KAFKA_LISTENER_NAME_PLAINTEXT_PLAIN_SASL_JAAS_CONFIG: `org.apache.kafka.common.security.plain.PlainLoginModule required ${jaasUsers};`,
      KAFKA_AUTHORIZER_CLASS_NAME: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      // The inter-broker and controller listeners are plaintext inside the container: ANONYMOUS.
      KAFKA_SUPER_USERS: 'User:admin;User:ANONYMOUS',
      KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'false',
    })
    .start();
  const bootstrap = `${container.getHost()}:${container.getMappedPort(9093)}`;
  return { backend: 'testcontainers', bootstrap, description: `Kafka in a container (${image})`, stop: async () => void (await container.stop()) };
}

/** testcontainers has no skip of its own: ask for the runtime once and keep the reason. */
export async function probeContainerRuntime(): Promise<{ ok: boolean; reason: string }> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    return { ok: true, reason: `container runtime ${client.info.containerRuntime.host}` };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] };
  }
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
