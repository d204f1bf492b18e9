/**
 * Real data-plane probes under SASL/PLAIN with two clients we did not write, kafkajs and kcat
 * (librdkafka): may this principal produce to / consume from this topic? Authorization failures
 * answer false; anything else is a test failure.
 */
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kcatSasl, runKcat } from '../conformance/support/kcat';

function client(bootstrap: string, user: { username: string; password: string }, retries = 0): Kafka {
  const config: KafkaConfig = {
    brokers: [bootstrap],
    clientId: `probe-${user.username}`,
    sasl: { mechanism: 'plain', ...user },
    logLevel: logLevel.NOTHING,
    retry: { retries, initialRetryTime: 100 },
    connectionTimeout: 3000,
  };
  return new Kafka(config);
}

function isAuthorization(e: unknown): boolean {
  const text = `${(e as { type?: string }).type ?? ''} ${(e as Error).message ?? ''}`;
  return /AUTHORIZATION_FAILED|not authorized/i.test(text);
}

export async function canProduce(bootstrap: string, user: { username: string; password: string }, topic: string, value = 'probe'): Promise<boolean> {
  // Retries for what is not a refusal (kafkajs never retries an authorization error): a real broker
  // lists a new topic before its log exists and answers NOT_LEADER_OR_FOLLOWER for a moment.
  const producer = client(bootstrap, user, 8).producer({ allowAutoTopicCreation: false, retry: { retries: 8, initialRetryTime: 100 } });
  await producer.connect();
  try {
    // Keyed: a compacted topic refuses records without a key.
    await producer.send({ topic, messages: [{ key: 'probe', value }] });
    return true;
  } catch (e) {
    if (isAuthorization(e)) return false;
    throw e;
  } finally {
    await producer.disconnect();
  }
}

/** Joins a group under the principal's own prefix and waits for the first message. */
export async function canConsume(bootstrap: string, user: { username: string; password: string }, topic: string, timeoutMs = 15000): Promise<boolean> {
  // Retries for what is not a refusal (kafkajs never retries an authorization error): a fresh real
  // broker creates __consumer_offsets on the first group and answers COORDINATOR_NOT_AVAILABLE meanwhile.
  const consumer = client(bootstrap, user, 8).consumer({ groupId: `${user.username}.probe-${Math.random().toString(36).slice(2)}`, retry: { retries: 8, initialRetryTime: 100 } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        if (isAuthorization(event.payload.error)) {
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
          if (isAuthorization(e)) resolve(false);
          else reject(e);
        });
    });
  } catch (e) {
    if (isAuthorization(e)) return false;
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
