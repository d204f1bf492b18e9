/**
 * CreateTopics versions 5-7 (API key 19, flexible; KIP-525), which kafkajs 2.2.4 does not have (it
 * stops at v3). From v5 the broker answers each created topic with its partition count,
 * replication factor and every config with its source, as the controller committed them: what a
 * reader would read back, known at once, without waiting for the broker's metadata to catch up.
 * A broker that may not describe the configs to this principal answers them null, with the error
 * in the tagged field TopicConfigErrorCode. v6 only adds an error (quota violation), v7 the topic id.
 * apache/kafka CreateTopicsRequest.json / CreateTopicsResponse.json.
 */
import { Reader, Writer, wireProtocol } from './codec';

export const CREATE_TOPICS = { apiKey: 19, name: 'CreateTopics', versions: [5, 6, 7] } as const;

export interface TopicToCreate {
  topic: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}

/** One config of a created topic as the broker answered it. */
export interface CreatedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** Kafka's ConfigSource: 1 DYNAMIC_TOPIC_CONFIG (set on the topic), 5 DEFAULT_CONFIG, ...; -1 unknown. */
  source: number;
  sensitive: boolean;
}

export interface CreatedTopic {
  topic: string;
  errorCode: number;
  errorMessage: string | null;
  /** -1 when the broker did not say (an error). */
  partitions: number;
  replicas: number;
  /** null when the broker could not describe them (see configErrorCode). */
  configs: CreatedConfig[] | null;
  /** Why the configs are null (0: none). */
  configErrorCode: number;
}

/** The tagged field TopicConfigErrorCode of a CreatableTopicResult. */
const TOPIC_CONFIG_ERROR_TAG = 0;

export function createTopicsRequest(version: number, topics: readonly TopicToCreate[], timeoutMs: number, validateOnly: boolean) {
  return wireProtocol(
    CREATE_TOPICS.apiKey,
    CREATE_TOPICS.name,
    version,
    () =>
      new Writer(true)
        .array(topics, (w, t) =>
          w
            .string(t.topic)
            .int32(t.partitions)
            .int16(t.replicas)
            .array([], () => undefined) // assignments: none, the broker places the replicas
            .array(Object.entries(t.config), (c, [name, value]) => c.string(name).nullableString(value).tags())
            .tags(),
        )
        .int32(timeoutMs)
        .bool(validateOnly)
        .tags(),
    (raw): CreatedTopic[] => {
      const r = new Reader(raw, true);
      r.int32(); // throttle_time_ms
      const topics = r.array((t) => {
        const topic = t.string();
        if (version >= 7) t.uuid();
        const errorCode = t.int16();
        const errorMessage = t.nullableString();
        const partitions = t.int32();
        const replicas = t.int16();
        const configs = t.nullableArray((c) => {
          const config = { name: c.string(), value: c.nullableString(), readOnly: c.bool(), source: c.int8(), sensitive: c.bool() };
          c.tags();
          return config;
        });
        let configErrorCode = 0;
        t.taggedFields((tag, field) => {
          if (tag === TOPIC_CONFIG_ERROR_TAG) configErrorCode = field.int16();
        });
        return { topic, errorCode, errorMessage, partitions, replicas, configs, configErrorCode };
      });
      r.tags();
      return topics;
    },
  );
}
