/**
 * Real data-plane probes with kafkajs under SASL/PLAIN: may this principal produce to / consume
 * from this topic? Authorization failures answer false; anything else is a test failure.
 */
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { DATA_APIS, GROUP_APIS, apisMissing } from '../support/served-apis';

/** Whether the in-process broker serves produce and group consume yet; the reason when it does not. */
export function dataPlaneMissing(): string | undefined {
  return apisMissing([...DATA_APIS, ...GROUP_APIS]) ?? undefined;
}

/**
 * @param errors when given, receives the error type of every error kafkajs logs (its DEBUG log):
 *   kafkajs reports a FindCoordinator refused for want of group access only as "Failed to find
 *   group coordinator", with GROUP_AUTHORIZATION_FAILED in its log.
 */
export function client(bootstrap: string, user: { username: string; password: string }, errors?: string[]): Kafka {
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
    retry: { retries: 0 },
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
  const producer = client(bootstrap, user).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
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
  const consumer = client(bootstrap, user, logged).consumer({ groupId: group, retry: { retries: 0 } });
  const refused = (e: unknown) => isAuthorization(e) || ((e as Error)?.name === 'KafkaJSGroupCoordinatorNotFound' && logged.includes('GROUP_AUTHORIZATION_FAILED'));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        clearTimeout(timer);
        if (refused(event.payload.error)) resolve(false);
        else reject(event.payload.error);
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
