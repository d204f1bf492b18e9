/**
 * Real data-plane probes under SASL/PLAIN with two clients we did not write, kafkajs and kcat
 * (librdkafka): may this principal produce to / consume from this topic? Authorization failures
 * answer false; anything else is a test failure.
 */
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';

/**
 * Retries for what is not a refusal (kafkajs never retries an authorization error): a real broker
 * lists a new topic before its log exists (NOT_LEADER_OR_FOLLOWER for a moment), and creates
 * __consumer_offsets on the first group (COORDINATOR_NOT_AVAILABLE, then loading).
 */
const PROBE_RETRY = { retries: 8, initialRetryTime: 100 };

/**
 * @param errors when given, receives the error type of every error kafkajs logs (its DEBUG log):
 *   kafkajs reports a FindCoordinator refused for want of group access only as "Failed to find
 *   group coordinator", with GROUP_AUTHORIZATION_FAILED in its log.
 */
export function client(bootstrap: string, user: { username: string; password: string }, errors?: string[], retry = { retries: 0 }): Kafka {
  const config: KafkaConfig = {
    brokers: [bootstrap],
    clientId: `probe-${user.username}`,
    sasl: { mechanism: 'plain', ...user },
    logLevel: errors ? logLevel.DEBUG : logLevel.NOTHING,
    ...(errors && {
      logCreator: () => (entry: LogEntry) => {
        const type = ((entry.log as { error?: unknown }).error as { type?: unknown } | undefined)?.type;
        if (typeof type === 'string') errors.push(type);
      },
    }),
    retry,
    connectionTimeout: 3000,
  };
  return new Kafka(config);
}

export function isAuthorization(e: unknown): boolean {
  if (e === null || typeof e !== 'object') return false;
  const text = `${(e as { type?: string }).type ?? ''} ${(e as Error).message ?? ''}`;
  return /AUTHORIZATION_FAILED|not authorized/i.test(text);
}

export async function canProduce(bootstrap: string, user: { username: string; password: string }, topic: string, value = 'probe'): Promise<boolean> {
  const producer = client(bootstrap, user, undefined, PROBE_RETRY).producer({ allowAutoTopicCreation: false, retry: PROBE_RETRY });
  await producer.connect();
  try {
    // Keyed: a compacted topic refuses records without a key (real Kafka: INVALID_RECORD).
    await producer.send({ topic, messages: [{ key: 'probe', value }] });
    return true;
  } catch (e) {
    if (isAuthorization(e)) return false;
    throw e;
  } finally {
    await producer.disconnect();
  }
}

/** Joins a group (default: a new one under the principal's own prefix) and waits for the first message. */
export async function canConsume(bootstrap: string, user: { username: string; password: string }, topic: string, timeoutMs = 15000, groupId?: string): Promise<boolean> {
  const group = groupId ?? `${user.username}.probe-${Math.random().toString(36).slice(2)}`;
  const logged: string[] = [];
  const consumer = client(bootstrap, user, logged, PROBE_RETRY).consumer({ groupId: group, retry: PROBE_RETRY });
  const refused = (e: unknown) => isAuthorization(e) || ((e as Error)?.name === 'KafkaJSGroupCoordinatorNotFound' && logged.includes('GROUP_AUTHORIZATION_FAILED'));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        if (refused(event.payload.error)) {
          clearTimeout(timer);
          resolve(false);
        } else if (!event.payload.restart) {
          clearTimeout(timer);
          reject(event.payload.error);
        }
        // restart: kafkajs starts the consumer again by itself (e.g. COORDINATOR_LOAD_IN_PROGRESS on a fresh broker).
      });
      consumer
        .run({
          eachMessage: async () => {
            clearTimeout(timer);
            resolve(true);
          },
        })
        .catch((e) => {
          clearTimeout(timer);
          if (refused(e)) resolve(false);
          else reject(e);
        });
    });
  } catch (e) {
    if (refused(e)) return false;
    throw e;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** kcat -P: one message; exit 0 means the broker took it. */
export async function kcatCanProduce(bootstrap: string, user: { username: string; password: string }, topic: string): Promise<boolean> {
  const run = await runKcat(['-b', bootstrap, ...kcatSasl(user), '-P', '-t', topic, '-K:', '-m', '5'], 'probe:kcat\n');
  if (run.code === 0) return true;
  if (/authorization failed/i.test(run.stderr)) return false;
  throw new Error(`kcat -P on ${topic} exited ${run.code}: ${run.stderr.trim().split('\n').slice(-2).join(' | ')}`);
}

/** kcat -C from the beginning to the end of every partition (no group): true when it reads a message. */
export async function kcatCanConsume(bootstrap: string, user: { username: string; password: string }, topic: string): Promise<boolean> {
  const run = await runKcat(['-b', bootstrap, ...kcatSasl(user), '-C', '-t', topic, '-o', 'beginning', '-e', '-c', '1', '-q', '-m', '5']);
  if (run.code === 0 && run.stdout.trim() !== '') return true;
  if (/authorization failed/i.test(run.stderr)) return false;
  throw new Error(`kcat -C on ${topic} exited ${run.code}: ${run.stderr.trim().split('\n').slice(-2).join(' | ')}`);
}
