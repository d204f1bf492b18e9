/**
 * The Kafka channel binding (`partitions`, `replicas`, `topicConfiguration`), checked in every
 * AsyncAPI version: 2.x schemas do not validate bindings at all.
 */
import { type Diagnostic, type SourceLocation, error } from '../diagnostics';
import { CODES } from './codes';
import { TOPIC_CONFIG, topicConfigValue } from './kafka-topic-config';
import type { JsonPath } from './source';

export interface TopicSettings {
  partitions?: number;
  replicas?: number;
  config: Record<string, string>;
}

/** Kafka's wire limits: partition counts are int32, replication factors int16 (CreateTopics). */
const MAX = { partitions: 2 ** 31 - 1, replicas: 2 ** 15 - 1 } as const;

function countIn(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max ? value : undefined;
}

/** @param at JSON path of the binding (`channels.<id>.bindings.kafka`). */
export function readKafkaBinding(binding: unknown, at: JsonPath, locate: (path: JsonPath) => SourceLocation): { settings: TopicSettings; diagnostics: Diagnostic[] } {
  const settings: TopicSettings = { config: {} };
  const diagnostics: Diagnostic[] = [];
  if (binding === undefined || binding === null) return { settings, diagnostics };
  if (typeof binding !== 'object' || Array.isArray(binding)) {
    return { settings, diagnostics: [error(CODES.kafkaBinding, 'the kafka binding must be an object', locate(at))] };
  }
  const b = binding as Record<string, unknown>;
  for (const field of ['partitions', 'replicas'] as const) {
    if (b[field] === undefined) continue;
    const n = countIn(b[field], MAX[field]);
    if (n === undefined) diagnostics.push(error(CODES.kafkaBinding, `kafka binding ${field} must be an integer from 1 to ${MAX[field]}, got ${JSON.stringify(b[field])}`, locate([...at, field])));
    else settings[field] = n;
  }
  const topicConfiguration = b.topicConfiguration;
  if (topicConfiguration !== undefined) {
    const configAt = [...at, 'topicConfiguration'];
    if (typeof topicConfiguration !== 'object' || topicConfiguration === null || Array.isArray(topicConfiguration)) {
      diagnostics.push(error(CODES.kafkaBinding, 'kafka binding topicConfiguration must be an object', locate(configAt)));
    } else {
      for (const [key, value] of Object.entries(topicConfiguration)) {
        const type = TOPIC_CONFIG[key];
        if (!type) {
          diagnostics.push(error(CODES.kafkaConfigUnknown, `"${key}" is not a Kafka topic configuration key`, locate([...configAt, key])));
          continue;
        }
        const result = topicConfigValue(type, value);
        if ('problem' in result) diagnostics.push(error(CODES.kafkaConfigValue, `${key} ${result.problem}, got ${JSON.stringify(value)}`, locate([...configAt, key])));
        else settings.config[key] = result.value;
      }
      const minIsr = settings.config['min.insync.replicas'];
      if (minIsr !== undefined && settings.replicas !== undefined && Number(minIsr) > settings.replicas) {
        diagnostics.push(error(CODES.kafkaMinIsr, `min.insync.replicas ${minIsr} is more than replicas ${settings.replicas}: producers with acks=all could never write`, locate([...configAt, 'min.insync.replicas'])));
      }
    }
  }
  return { settings, diagnostics };
}
