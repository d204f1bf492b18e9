/**
 * Kafka in a container, configured through the official apache/kafka image's documented KAFKA_*
 * environment variables (each becomes a server.properties entry: KAFKA_FOO_BAR -> foo.bar), so the
 * same configuration runs `apache/kafka:4.1.x` and the image `npm run -s peers -- install containers`
 * builds from the kafka peer's jars. Pure: what to run; starting it is testcontainers' (meshform/testing)
 * or the Docker CLI's (`meshform dev`).
 *
 * One KRaft node. The client listener (CLIENT, container port 9092) speaks SASL_PLAINTEXT/PLAIN with
 * one user per principal plus the admin, behind the standard authorizer (no access without an ACL).
 * The broker's own listeners (BROKER, CONTROLLER) are plaintext and bound to the container's
 * loopback: nothing outside the container can reach them, and their ANONYMOUS principal is a super
 * user so the node can talk to itself.
 */
import { randomBytes } from 'node:crypto';

/** The official Apache Kafka image, the default when neither the option nor MESHFORM_KAFKA_IMAGE names one. */
export const DEFAULT_KAFKA_IMAGE = 'apache/kafka:4.1.1';
/** The client listener's port inside the container. */
export const KAFKA_CONTAINER_PORT = 9092;

/** The image to run: the option, else MESHFORM_KAFKA_IMAGE, else the official one. */
export function kafkaImage(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env.MESHFORM_KAFKA_IMAGE || DEFAULT_KAFKA_IMAGE;
}

/** Confluent's cp-kafka images are started by testcontainers' own KafkaContainer (their start scripts differ). */
export function isConfluentImage(image: string): boolean {
  return /(^|\/)cp-kafka(:|@|$)/.test(image);
}

export interface KafkaContainerPlan {
  image: string;
  /** The container's environment. */
  env: Record<string, string>;
  /** Published as `127.0.0.1:<hostPort>:9092`. */
  containerPort: number;
  hostPort: number;
  /** The line Kafka logs when it serves clients. */
  startedMessage: RegExp;
}

/** Kafka's cluster id: 16 random bytes, base64url, never starting with '-' (it would read as an option). */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** `org.apache.kafka.common.security.plain.PlainLoginModule required user_<name>="<password>" ...;` */
export function plainJaas(users: Record<string, string>): string {
  for (const [user, password] of Object.entries(users)) {
    if (/["\\\s;]/.test(user) || /["\\]/.test(password)) throw new Error(`SASL user ${JSON.stringify(user)}: names may not hold quotes, backslashes, spaces or ';'`);
  }
  const entries = Object.entries(users).map(([user, password]) => `user_${user}="${password}"`);
  return `org.apache.kafka.common.security.plain.PlainLoginModule required ${entries.join(' ')};`;
}

export function kafkaContainerPlan(options: { image: string; users: Record<string, string>; superUsers: string[]; hostPort: number }): KafkaContainerPlan {
  const { image, users, superUsers, hostPort } = options;
  const env: Record<string, string> = {
    CLUSTER_ID: newClusterId(),
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: `CLIENT://:${KAFKA_CONTAINER_PORT},BROKER://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093`,
    KAFKA_ADVERTISED_LISTENERS: `CLIENT://127.0.0.1:${hostPort},BROKER://127.0.0.1:19092`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CLIENT:SASL_PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@127.0.0.1:19093',
    KAFKA_SASL_ENABLED_MECHANISMS: 'PLAIN',
    KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS: 'PLAIN',
    KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG: plainJaas(users),
    KAFKA_AUTHORIZER_CLASS_NAME: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    KAFKA_SUPER_USERS: [...superUsers, 'User:ANONYMOUS'].join(';'),
    KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'false',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    KAFKA_NUM_PARTITIONS: '1',
    KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_LOG_DIRS: '/var/lib/kafka/data',
  };
  return { image, env, containerPort: KAFKA_CONTAINER_PORT, hostPort, startedMessage: /Kafka Server started/ };
}
