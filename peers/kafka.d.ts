import { type KafkaClusterOptions } from './kafka-cluster';
import { type Peer } from './peer';
export declare const KAFKA_VERSION = "4.1.1";
/** `kafka-test-broker`'s flags (parsed by the same code), plus --heap-mb. */
export declare function parseKafkaArgs(argv: string[]): KafkaClusterOptions;
export declare const kafkaPeer: Peer;
