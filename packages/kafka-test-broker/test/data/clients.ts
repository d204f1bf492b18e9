import { Consumer, ConsumerConfig, KafkaMessage, Producer } from 'kafkajs';
import { TestBroker } from '../../src';
import { Credentials, kafkaFor } from '../kafka';

export async function producerFor(broker: TestBroker, sasl?: Credentials): Promise<Producer> {
  const producer = kafkaFor(broker, sasl).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

/** Short waits and heartbeats keep group tests fast; Kafka's minimum session timeout is 6 s. */
export function consumerFor(broker: TestBroker, groupId: string, sasl?: Credentials, config: Partial<ConsumerConfig> = {}): Consumer {
  return kafkaFor(broker, sasl, 2).consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500, sessionTimeout: 6000, rebalanceTimeout: 6000, ...config });
}

export interface Received {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function received(topic: string, partition: number, m: KafkaMessage): Received {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.headers ?? {})) headers[name] = String(value);
  return { topic, partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value?.toString() ?? null, headers };
}

/** Runs the consumer until `count` messages arrived (or fails after `timeoutMs`), then stops it. */
export async function consume(consumer: Consumer, count: number, timeoutMs = 10000): Promise<Received[]> {
  const messages: Received[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${messages.length} of ${count} messages`)), timeoutMs);
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        messages.push(received(topic, partition, message));
        if (messages.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.stop();
  return messages;
}
