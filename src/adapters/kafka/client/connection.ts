/**
 * How to reach a stack's Kafka cluster: stack settings, then environment, then command line.
 * Secrets only ever leave this module inside the kafkajs SASL options; every message is redacted.
 */
import { SASL_MECHANISMS, type SaslMechanism } from '../../../stack/keys';
import type { KafkaConnectionSettings } from '../../../stack/types';

export type { SaslMechanism };

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  tls: boolean;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

/** Values that win over the stack and the environment (CLI flags, test kits). */
export interface ConnectionOverrides {
  bootstrap?: string;
  saslMechanism?: SaslMechanism;
  username?: string;
  password?: string;
}

/** The connection settings are unusable; the message is one line, safe to print. */
export class KafkaConfigError extends Error {}

const HOST_PORT = /^[A-Za-z0-9._-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

export const ENV = {
  bootstrap: 'MESHFORM_KAFKA_BOOTSTRAP',
  mechanism: 'MESHFORM_KAFKA_SASL_MECHANISM',
  username: 'MESHFORM_KAFKA_USERNAME',
  password: 'MESHFORM_KAFKA_PASSWORD',
} as const;

export function resolveConnection(
  settings: KafkaConnectionSettings,
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConnectionOverrides = {},
): KafkaConnection {
  const bootstrap = overrides.bootstrap ?? nonEmpty(env[ENV.bootstrap]) ?? settings.bootstrap;
  if (!bootstrap) {
    throw new KafkaConfigError(
      `no Kafka bootstrap servers: set the stack's Kafka bootstrap, ${ENV.bootstrap}, or --bootstrap host:port`,
    );
  }
  const brokers = bootstrap.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  const bad = brokers.find((b) => !HOST_PORT.test(b));
  if (brokers.length === 0 || bad !== undefined) {
    throw new KafkaConfigError(`bad Kafka bootstrap "${bad ?? bootstrap}": expected host:port[,host:port...]`);
  }

  const rawMechanism = overrides.saslMechanism ?? nonEmpty(env[ENV.mechanism]) ?? settings.saslMechanism;
  const username = overrides.username ?? nonEmpty(env[ENV.username]) ?? settings.username;
  const password = overrides.password ?? nonEmpty(env[ENV.password]) ?? settings.password;
  const connection: KafkaConnection = { brokers, clientId: settings.clientId || 'meshform', tls: settings.tls };
  if (rawMechanism === undefined) {
    if (username !== undefined || password !== undefined) {
      throw new KafkaConfigError(`Kafka username/password given without a SASL mechanism: set ${ENV.mechanism} (plain, scram-sha-256, scram-sha-512)`);
    }
    return connection;
  }
  const mechanism = rawMechanism.toLowerCase() as SaslMechanism;
  if (!SASL_MECHANISMS.includes(mechanism)) {
    throw new KafkaConfigError(`unknown SASL mechanism "${rawMechanism}": use plain, scram-sha-256 or scram-sha-512`);
  }
  if (!username || password === undefined) {
    throw new KafkaConfigError(`SASL ${mechanism} needs a username and password: set ${ENV.username} and ${ENV.password}`);
  }
  return { ...connection, sasl: { mechanism, username, password } };
}

/** For humans: where and as whom, never the password. */
export function describeConnection(connection: KafkaConnection): string {
  const auth = connection.sasl ? `SASL ${connection.sasl.mechanism} as ${connection.sasl.username}` : 'no SASL';
  return `${connection.brokers.join(',')} (${auth}, TLS ${connection.tls ? 'on' : 'off'})`;
}

/** Removes the password from any text that may reach a terminal, a log or Pulumi state. */
export function redact(text: string, connection: KafkaConnection | undefined): string {
  const secret = connection?.sasl?.password;
  if (!secret) return text;
  return text.split(secret).join('***');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
