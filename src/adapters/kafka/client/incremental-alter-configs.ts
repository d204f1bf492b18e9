/**
 * IncrementalAlterConfigs v0 (API key 44, KIP-339), which kafkajs 2.2.4 does not implement.
 * Unlike AlterConfigs it changes only the named keys, so unsetting one key cannot clobber others.
 * Layout from apache/kafka IncrementalAlterConfigsRequest.json / Response.json (v0, not flexible).
 */
import { API_KEY, CONFIG_RESOURCE_TOPIC } from './protocol';

const Encoder = require('kafkajs/src/protocol/encoder');
const Decoder = require('kafkajs/src/protocol/decoder');

export interface ConfigChange {
  name: string;
  /** 0 SET, 1 DELETE (reset to the default). */
  op: number;
  value: string | null;
}

export interface TopicConfigAlteration {
  topic: string;
  changes: ConfigChange[];
}

export interface AlterResult {
  topic: string;
  errorCode: number;
  errorMessage: string | null;
}

interface KafkaEncoder {
  writeInt8(v: number): KafkaEncoder;
  writeString(v: string | null): KafkaEncoder;
  writeArray(v: KafkaEncoder[]): KafkaEncoder;
  writeBoolean(v: boolean): KafkaEncoder;
}

interface KafkaDecoder {
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readString(): string | null;
  readArray<T>(read: (d: KafkaDecoder) => T): T[];
}

export function incrementalAlterConfigsRequest(alterations: TopicConfigAlteration[], validateOnly = false) {
  return {
    request: {
      apiKey: API_KEY.IncrementalAlterConfigs,
      apiVersion: 0,
      apiName: 'IncrementalAlterConfigs',
      encode: async (): Promise<KafkaEncoder> => {
        const resources = alterations.map((a) =>
          (new Encoder() as KafkaEncoder)
            .writeInt8(CONFIG_RESOURCE_TOPIC)
            .writeString(a.topic)
            .writeArray(
              a.changes.map((c) => (new Encoder() as KafkaEncoder).writeString(c.name).writeInt8(c.op).writeString(c.value)),
            ),
        );
        return (new Encoder() as KafkaEncoder).writeArray(resources).writeBoolean(validateOnly);
      },
    },
    response: {
      decode: async (raw: Buffer): Promise<{ responses: AlterResult[] }> => {
        const decoder = new Decoder(raw) as KafkaDecoder;
        decoder.readInt32(); // throttle_time_ms
        const responses = decoder.readArray((d) => {
          const errorCode = d.readInt16();
          const errorMessage = d.readString();
          d.readInt8(); // resource_type
          const topic = d.readString() ?? '';
          return { topic, errorCode, errorMessage };
        });
        return { responses };
      },
      parse: async <T>(data: T): Promise<T> => data,
    },
  };
}
