/**
 * `meshform/testing`: a Kafka for a product repo's tests, provisioned from its specs.
 *
 * With a container runtime: confluentinc/cp-kafka through testcontainers, SASL/PLAIN and the
 * standard authorizer. Without one: meshform's in-process test broker with the same users and
 * authorizer. Either way one SASL user per product principal plus an admin, and the specs applied
 * by the same reconcile engine as `meshform kafka apply`.
 */
import { randomBytes } from 'node:crypto';
import { formatDiagnostic, hasErrors } from '../diagnostics';
import { OwnershipScope, reconcileKafka, type KafkaReport } from '../adapters/kafka';
import { loadMesh } from '../model';
import { planMesh, productPrincipal } from '../plan';
import type { Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';

export type MeshKafkaBackend = 'testcontainers' | 'in-process';

export interface MeshKafkaOptions {
  /** Spec files or folders, as for `meshform validate`. Either this or `plan`. */
  specs?: string | string[];
  /** A ready plan (e.g. built in code), instead of specs. */
  plan?: Plan;
  /** Stack settings for sizing and principals; replicas are capped at 1 (one broker). Default: a test stack. */
  stack?: StackConfig;
  /** `auto` (default): testcontainers when a container runtime answers, else in-process. */
  backend?: 'auto' | MeshKafkaBackend;
  /** cp-kafka image for the container backend (KRaft with SASL needs >= 7.5). */
  image?: string;
  /** Where to say which backend started (default: stderr). */
  log?: (line: string) => void;
}

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

  const wanted = options.backend ?? 'auto';
  const runtime = wanted === 'in-process' ? { ok: false, reason: 'in-process backend requested' } : await probeContainerRuntime();
  if (wanted === 'testcontainers' && !runtime.ok) throw new Error(`no container runtime: ${runtime.reason}`);
  const started = runtime.ok ? await startContainer(options.image ?? DEFAULT_IMAGE, users) : await startInProcess(users);
  log(
    started.backend === 'testcontainers'
      ? `meshform/testing: Kafka in a container (${options.image ?? DEFAULT_IMAGE}) at ${started.bootstrap}`
      : `meshform/testing: in-process test broker at ${started.bootstrap} (${runtime.reason})`,
  );

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
    return { backend: started.backend, bootstrap: started.bootstrap, credentials, admin, provisioned, stop: started.stop };
  } catch (e) {
    await started.stop();
    throw e;
  }
}

interface Started {
  backend: MeshKafkaBackend;
  bootstrap: string;
  stop(): Promise<void>;
}

async function startInProcess(users: Record<string, string>): Promise<Started> {
  const { startTestBroker } = await import('../test-broker');
  const broker = await startTestBroker({ brokers: 1, saslUsers: users, superUsers: ['User:admin'], authorizer: true });
  return { backend: 'in-process', bootstrap: broker.bootstrap, stop: () => broker.stop() };
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
  return { backend: 'testcontainers', bootstrap, stop: async () => void (await container.stop()) };
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
