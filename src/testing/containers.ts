/**
 * The container backend of meshform/testing: Kafka (and the schema registry) started through
 * testcontainers, ports published on 127.0.0.1 only, each container labelled as meshform's and
 * removed with its volumes on `stop()` and when the process exits (Ryuk, testcontainers' own
 * reaper, may be off: TESTCONTAINERS_RYUK_DISABLED=true), and `npm run -s peers -- sweep` removes
 * what a killed process left.
 *
 * Failures say which of three things went wrong: the optional package is not installed, no engine
 * answers, or the engine refused (an image it cannot pull, a port taken, a container that stopped).
 */
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { randomBytes } from 'node:crypto';
import { engineHasImage, LABEL_ATTEMPT, LABEL_OWNER, LABEL_PID, LABEL_ROLE, probeEngine, removeAtExit, removeLabelled } from '../containers/engine';
import { isConfluentImage, kafkaContainerPlan, KAFKA_CONTAINER_PORT } from '../containers/kafka';
import { CCOMPAT_PATH, REGISTRY_CONTAINER_PORT, waitForRegistryApi } from '../containers/registry';
import { freePort } from '../local-host';

/** Which of the three causes stopped the container backend. */
export type ContainerFailure = 'package-missing' | 'no-engine' | 'engine-refused';

export class ContainerRuntimeError extends Error {
  constructor(
    readonly failure: ContainerFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface StartedContainer {
  /** `127.0.0.1:<port>`. */
  address: string;
  description: string;
  stop(): Promise<void>;
}

type Testcontainers = typeof import('testcontainers');

async function loadTestcontainers(): Promise<Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new ContainerRuntimeError('package-missing', 'the optional package testcontainers is not installed (npm install --save-dev testcontainers)');
  }
}

/** Whether the container backend can run here: the package is installed and an engine answers. */
export async function containerBackendProblem(): Promise<ContainerRuntimeError | undefined> {
  try {
    await loadTestcontainers();
  } catch (e) {
    if (e instanceof ContainerRuntimeError) return e;
    throw e;
  }
  const engine = await probeEngine();
  return engine.ok ? undefined : new ContainerRuntimeError('no-engine', engine.reason ?? `no Docker engine at ${engine.where}`);
}

function labels(role: string, attempt: string): Record<string, string> {
  return { [LABEL_OWNER]: 'testing', [LABEL_PID]: String(process.pid), [LABEL_ROLE]: role, [LABEL_ATTEMPT]: attempt };
}

/**
 * Starts a container labelled with a fresh attempt id; when the start fails (the container exited,
 * a wait timed out) the container testcontainers made is removed too: without Ryuk nothing else would.
 */
async function attempt<T>(start: (attemptId: string) => Promise<T>): Promise<T> {
  const attemptId = randomBytes(8).toString('hex');
  try {
    return await start(attemptId);
  } catch (e) {
    await removeLabelled(LABEL_ATTEMPT, attemptId);
    throw e;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's constructor must take any[]
type ContainerClass = new (...args: any[]) => GenericContainer;
type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }>>;

/**
 * The container class with every published port on 127.0.0.1 only (testcontainers binds all
 * interfaces), set just before the container is created, after the class's own port set-up.
 */
function onLoopback<C extends ContainerClass>(Base: C): C {
  return class extends Base {
    protected override async beforeContainerCreated(): Promise<void> {
      const base = Base.prototype as unknown as { beforeContainerCreated?: () => Promise<void> };
      await base.beforeContainerCreated?.call(this);
      const bindings = (this as unknown as { hostConfig: { PortBindings?: PortBindings } }).hostConfig.PortBindings ?? {};
      for (const list of Object.values(bindings)) for (const b of list) b.HostIp = '127.0.0.1';
    }
  };
}

async function explain(e: unknown, image: string): Promise<ContainerRuntimeError> {
  if (e instanceof ContainerRuntimeError) return e;
  const message = (e as Error).message ?? String(e);
  const first = message.split('\n')[0];
  if (/ryuk/i.test(message) && process.env.TESTCONTAINERS_RYUK_DISABLED !== 'true') {
    return new ContainerRuntimeError(
      'engine-refused',
      `testcontainers could not start Ryuk, its reaper (${first}); where its image cannot be pulled set TESTCONTAINERS_RYUK_DISABLED=true: meshform removes its containers on stop() and at exit`,
    );
  }
  if (!(await engineHasImage(image))) {
    return new ContainerRuntimeError('engine-refused', `the Docker engine has no image ${image} and could not pull it: ${first}`);
  }
  return new ContainerRuntimeError('engine-refused', `the Docker engine could not run ${image}: ${first}`);
}

async function started(container: StartedTestContainer, description: string, port: number): Promise<StartedContainer> {
  const atExit = removeAtExit(container.getId());
  let stopped: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    description,
    stop: () => {
      stopped ??= container
        .stop({ remove: true, removeVolumes: true, timeout: 5_000 })
        .then(() => undefined)
        .finally(() => atExit.forget());
      return stopped;
    },
  };
}

/** A port chosen free can be taken before the engine binds it: start again on another, twice at most. */
async function withFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (e) {
      if (attempt >= 3 || !/port is already allocated|address already in use/i.test((e as Error).message)) throw e;
    }
  }
}

/** Kafka in a container: KRaft, SASL/PLAIN with these users, the standard authorizer, these super users. */
export async function startKafkaContainer(options: { image: string; users: Record<string, string>; superUsers: string[] }): Promise<StartedContainer> {
  const tc = await loadTestcontainers();
  const problem = await containerBackendProblem();
  if (problem) throw problem;
  const { image } = options;
  if (isConfluentImage(image)) return startConfluentKafka(options);
  try {
    return await withFreePort((hostPort) => attempt(async (attemptId) => {
      const plan = kafkaContainerPlan({ ...options, hostPort });
      const container = new (onLoopback(tc.GenericContainer))(image)
        .withEnvironment(plan.env)
        .withExposedPorts({ container: KAFKA_CONTAINER_PORT, host: hostPort })
        .withLabels(labels('kafka', attemptId))
        .withWaitStrategy(tc.Wait.forLogMessage(plan.startedMessage))
        .withStartupTimeout(120_000);
      return started(await container.start(), `Kafka in a container (${image})`, hostPort);
    }));
  } catch (e) {
    throw await explain(e, image);
  }
}

/** Confluent's cp-kafka (KRaft with SASL needs >= 7.5), started by testcontainers' own KafkaContainer. */
async function startConfluentKafka(options: { image: string; users: Record<string, string>; superUsers: string[] }): Promise<StartedContainer> {
  let KafkaContainer: typeof import('@testcontainers/kafka').KafkaContainer;
  try {
    ({ KafkaContainer } = await import('@testcontainers/kafka'));
  } catch {
    throw new ContainerRuntimeError('package-missing', 'cp-kafka images need the optional package @testcontainers/kafka (npm install --save-dev @testcontainers/kafka)');
  }
  const { plainJaas } = await import('../containers/kafka');
  try {
    return await attempt(async (attemptId) => {
      const container = new (onLoopback(KafkaContainer))(options.image)
        .withKraft()
        .withLabels(labels('kafka', attemptId))
        .withEnvironment({
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'BROKER:PLAINTEXT,PLAINTEXT:SASL_PLAINTEXT',
          KAFKA_SASL_ENABLED_MECHANISMS: 'PLAIN',
          KAFKA_LISTENER_NAME_PLAINTEXT_SASL_ENABLED_MECHANISMS: 'PLAIN',
          KAFKA_LISTENER_NAME_PLAINTEXT_PLAIN_SASL_JAAS_CONFIG: plainJaas(options.users),
          KAFKA_AUTHORIZER_CLASS_NAME: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
          // The inter-broker and controller listeners are plaintext inside the container: ANONYMOUS.
          KAFKA_SUPER_USERS: [...options.superUsers, 'User:ANONYMOUS'].join(';'),
          KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'false',
        });
      const running = await container.start();
      return started(running, `Kafka in a container (${options.image})`, running.getMappedPort(9093));
    });
  } catch (e) {
    throw await explain(e, options.image);
  }
}

/** A shell command that succeeds once something in the container listens on `port` (IPv4 or IPv6). */
export function listeningInside(port: number): string {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return `cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" {print $2}' | grep -q ':${hex}$'`;
}

/** Apicurio Registry in a container; `address` is the Confluent-compatible API's base URL once it answers. */
export async function startRegistryContainer(options: { image: string }): Promise<StartedContainer> {
  const tc = await loadTestcontainers();
  const problem = await containerBackendProblem();
  if (problem) throw problem;
  const { image } = options;
  let running: StartedContainer;
  try {
    running = await withFreePort((hostPort) => attempt(async (attemptId) => {
      const container = new (onLoopback(tc.GenericContainer))(image)
        .withExposedPorts({ container: REGISTRY_CONTAINER_PORT, host: hostPort })
        .withLabels(labels('registry', attemptId))
        // Checked from inside the container: testcontainers' host-side check connects to the
        // engine's host, which is the bridge's gateway when this process itself runs in a
        // container, and the port is published on 127.0.0.1 only. The API is awaited below.
        .withWaitStrategy(tc.Wait.forSuccessfulCommand(listeningInside(REGISTRY_CONTAINER_PORT)))
        .withStartupTimeout(120_000);
      return started(await container.start(), `Apicurio Registry in a container (${image})`, hostPort);
    }));
  } catch (e) {
    throw await explain(e, image);
  }
  const url = `http://${running.address}${CCOMPAT_PATH}`;
  try {
    await waitForRegistryApi(url, 120_000);
  } catch (e) {
    await running.stop();
    throw new ContainerRuntimeError('engine-refused', `${image}: ${(e as Error).message}`);
  }
  return { ...running, address: url };
}
