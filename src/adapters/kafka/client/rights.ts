/**
 * Authorization refusals in words: which principal lacks which right on what, so a FAILED line or
 * a read error says what to grant instead of only `TOPIC_AUTHORIZATION_FAILED (29)`.
 */
import type { KafkaConnection } from '../../../stack/kafka-connection';
import { errorName } from './protocol';

const TOPIC_AUTHORIZATION_FAILED = 29;
const CLUSTER_AUTHORIZATION_FAILED = 31;

export function isAuthorizationError(code: number): boolean {
  return code === TOPIC_AUTHORIZATION_FAILED || code === CLUSTER_AUTHORIZATION_FAILED;
}

/** The principal Kafka's default principal builder gives this connection. */
export function principalOf(connection: KafkaConnection): string {
  return connection.sasl ? `User:${connection.sasl.username}` : 'User:ANONYMOUS (no SASL)';
}

/** A right meshform needs: `CREATE on TOPIC x`, with what else would do, if anything. */
export interface Right {
  operation: string;
  resource: string;
  /** e.g. `or CREATE on the CLUSTER`. */
  alternative?: string;
}

export const RIGHTS = {
  createTopic: (topic: string): Right => ({ operation: 'CREATE', resource: `TOPIC ${topic}`, alternative: 'or CREATE on the CLUSTER' }),
  alterTopic: (topic: string): Right => ({ operation: 'ALTER', resource: `TOPIC ${topic}` }),
  alterTopicConfigs: (topic: string): Right => ({ operation: 'ALTER_CONFIGS', resource: `TOPIC ${topic}` }),
  deleteTopic: (topic: string): Right => ({ operation: 'DELETE', resource: `TOPIC ${topic}` }),
  describeTopicConfigs: (topic: string): Right => ({ operation: 'DESCRIBE_CONFIGS', resource: `TOPIC ${topic}` }),
  alterAcls: (): Right => ({ operation: 'ALTER', resource: 'the CLUSTER' }),
  describeAcls: (): Right => ({ operation: 'DESCRIBE', resource: 'the CLUSTER' }),
  describeQuotas: (): Right => ({ operation: 'DESCRIBE_CONFIGS', resource: 'the CLUSTER' }),
  alterQuotas: (): Right => ({ operation: 'ALTER_CONFIGS', resource: 'the CLUSTER' }),
};

/** `TOPIC_AUTHORIZATION_FAILED (29): User:ops lacks CREATE on TOPIC t (or CREATE on the CLUSTER; a super user has every right)`. */
export function authorizationMessage(code: number, connection: KafkaConnection, right: Right): string {
  const alternatives = [right.alternative, 'a super user has every right'].filter(Boolean).join('; ');
  return `${errorName(code)}: ${principalOf(connection)} lacks ${right.operation} on ${right.resource} (${alternatives})`;
}
