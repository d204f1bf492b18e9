/**
 * Real data-plane probes with kafkajs under SASL/PLAIN: may this principal produce to / consume
 * from this topic? Authorization failures answer false; anything else is a test failure.
 */
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { DATA_APIS, GROUP_APIS, apisMissing } from '../support/served-apis';

/** Whether the in-process broker serves produce and group consume yet; the reason when it does not. */
export function dataPlaneMissing(): string | undefined {
  return apisMissing([...DATA_APIS, ...GROUP_APIS]) ?? undefined;
}

function client(bootstrap: string, user: { username: string; password: string }): Kafka {
  const config: KafkaConfig = {
    brokers: [bootstrap],
    clientId: `probe-${user.username}`,
    sasl: { mechanism: 'plain', ...user },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 3000,
  };
  return new Kafka(config);
}

function isAuthorization(e: unknown): boolean {
  const text = `${(e as { type?: string }).type ?? ''} ${(e as Error).message ?? ''}`;
  return /AUTHORIZATION_FAILED|not authorized/i.test(text);
}

export async function canProduce(bootstrap: string, user: { username: string; password: string }, topic: string, value = 'probe'): Promise<boolean> {
  const producer = client(bootstrap, user).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value }] });
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
  const consumer = client(bootstrap, user).consumer({ groupId: `${user.username}.probe-${Math.random().toString(36).slice(2)}`, retry: { retries: 0 } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        clearTimeout(timer);
        if (isAuthorization(event.payload.error)) resolve(false);
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
