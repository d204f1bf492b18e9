/**
 * The Kafka connection, read in one place: where (the bootstrap list, with one rule for a broker
 * address), as whom (SASL) and over TLS. The stack's values, then the MESHFORM_KAFKA_* variables
 * (read nowhere else), then the command line (--bootstrap). Messages name the setting and, for a
 * bad address, the address; the password is a Secret from here on and never part of a message.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { error, type Diagnostic } from '../vocabulary/diagnostics';
import { Secret } from '../vocabulary/secret';
import type { KafkaConnectionSettings, SaslMechanism } from './types';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const satisfies readonly SaslMechanism[];
export type { SaslMechanism };

export const KAFKA_ENV = {
  bootstrap: 'MESHFORM_KAFKA_BOOTSTRAP',
  mechanism: 'MESHFORM_KAFKA_SASL_MECHANISM',
  username: 'MESHFORM_KAFKA_USERNAME',
  password: 'MESHFORM_KAFKA_PASSWORD',
} as const;

/** Where and as whom, ready to connect. */
export interface KafkaConnection {
  /** `host:port` as written by `formatAddress` (IPv6 in brackets); `brokerAddress` reads one back. */
  brokers: string[];
  clientId: string;
  tls: boolean;
  sasl?: { mechanism: SaslMechanism; username: string; password: Secret };
}

/** A SASL PLAIN login from a username and a password (test kits, benchmarks). */
export function plainLogin(user: { username: string; password: string }): NonNullable<KafkaConnection['sasl']> {
  return { mechanism: 'plain', username: user.username, password: new Secret(user.password) };
}

/** Values that win over the stack and the environment (CLI flags, test kits). */
export interface ConnectionOverrides {
  bootstrap?: string;
}

/** The connection settings are unusable; the message is one line, safe to print. */
export class KafkaConfigError extends Error {}

// ---------------------------------------------------------------- broker addresses: the one rule

export interface BrokerAddress {
  host: string;
  port: number;
}

/** A DNS label: letters, digits, '-' inside, '_' allowed (container names); at most 63 characters. */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const PORT = /^[1-9]\d{0,4}$/;
const BOOTSTRAP_FORM = 'host:port[,host:port...], an IPv6 address in brackets: [::1]:9092';

/**
 * One broker address: `host:port` where host is a DNS name, an IPv4 address or an IPv6 address in
 * brackets, and port 1-65535. Returns the address, or why it is not one.
 */
export function parseAddress(text: string): BrokerAddress | { problem: string } {
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(text);
  let host: string;
  let port: string;
  if (bracketed) {
    [, host, port] = bracketed;
    if (!isIPv6(host)) return { problem: `'${host}' in brackets is not an IPv6 address` };
  } else {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { problem: 'a scheme (kafka://, http://): only host:port' };
    const colon = text.lastIndexOf(':');
    if (colon < 0 || text.endsWith(']')) return { problem: 'no port' };
    host = text.slice(0, colon);
    port = text.slice(colon + 1);
    if (host.includes(':')) {
      return { problem: isIPv6(host) ? `an IPv6 address goes in brackets: [${host}]:${port}` : 'more than one colon' };
    }
    const problem = hostProblem(host);
    if (problem) return { problem };
  }
  if (!PORT.test(port) || Number(port) > 65535) return { problem: `port '${port}' is not a number from 1 to 65535` };
  return { host, port: Number(port) };
}

function hostProblem(host: string): string | undefined {
  if (host === '') return 'no host';
  if (host.length > 253) return 'the host name is longer than 253 characters';
  const labels = host.split('.');
  if (labels.every((l) => /^\d+$/.test(l))) return isIPv4(host) ? undefined : `'${host}' is not an IPv4 address`;
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad === undefined) return undefined;
  if (bad === '') return `'${host}' has an empty part between dots`;
  return `'${host}' is not a host name (letters, digits, '-', '_' and '.')`;
}

/** `host:port` for a message or a connection's broker list, IPv6 in brackets. */
export function formatAddress(address: BrokerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** A comma-separated bootstrap list: the addresses, or the first bad entry and why. */
export function parseBootstrap(text: string): { brokers: BrokerAddress[] } | { entry: string; problem: string } {
  const entries = text.split(',').map((s) => s.trim());
  const brokers: BrokerAddress[] = [];
  for (const entry of entries) {
    const parsed = entry === '' ? { problem: 'an empty entry' } : parseAddress(entry);
    if ('problem' in parsed) return { entry, problem: parsed.problem };
    brokers.push(parsed);
  }
  return { brokers };
}

/** Why a bootstrap list is unusable, or undefined (the stack key's check). */
export function checkBootstrap(text: string): string | undefined {
  const parsed = parseBootstrap(text);
  return 'problem' in parsed ? bootstrapProblem(parsed) : undefined;
}

function bootstrapProblem(bad: { entry: string; problem: string }): string {
  return `'${bad.entry}' is not a broker address: ${bad.problem} (expected ${BOOTSTRAP_FORM})`;
}

/** One of a connection's brokers, read back for the socket (kafkajs itself splits at the first ':'). */
export function brokerAddress(broker: string): BrokerAddress {
  const parsed = parseAddress(broker);
  if ('problem' in parsed) throw new KafkaConfigError(bootstrapProblem({ entry: broker, problem: parsed.problem }));
  return parsed;
}

export function checkSaslMechanism(value: string): string | undefined {
  return isSaslMechanism(value.toLowerCase()) ? undefined : `'${value}' is not one of ${SASL_MECHANISMS.join(', ')}`;
}

function isSaslMechanism(value: string): value is SaslMechanism {
  return (SASL_MECHANISMS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------- settings: the stack, then the environment

/** What the stack itself says (file or Pulumi config), before the environment. */
export interface StackKafkaValues {
  bootstrap?: string;
  clientId?: string;
  tls?: boolean;
  saslMechanism?: string;
  username?: string;
  password?: string;
}

export const DEFAULT_CLIENT_ID = 'meshform';

/**
 * The stack's Kafka values with MESHFORM_KAFKA_* over them (trimmed, but for the password; unset
 * and blank are the same); a bad variable is an MF-STACK-ENV diagnostic naming it (the password is
 * never checked or shown).
 */
export function kafkaSettings(stack: StackKafkaValues, env: NodeJS.ProcessEnv, diagnostics: Diagnostic[]): KafkaConnectionSettings {
  const fromEnv = (variable: string, check?: (v: string) => string | undefined): string | undefined => {
    const value = env[variable];
    if (value === undefined || value.trim() === '') return undefined;
    const problem = check?.(value.trim());
    if (problem) {
      diagnostics.push(error('MF-STACK-ENV', `${variable}: ${problem}`));
      return undefined;
    }
    return value.trim();
  };
  const bootstrap = fromEnv(KAFKA_ENV.bootstrap, checkBootstrap) ?? stack.bootstrap;
  const mechanism = fromEnv(KAFKA_ENV.mechanism, checkSaslMechanism) ?? stack.saslMechanism;
  const username = fromEnv(KAFKA_ENV.username) ?? stack.username;
  // The password is taken as written: spaces may be part of it.
  const password = env[KAFKA_ENV.password] || stack.password;
  return {
    ...(bootstrap !== undefined && { bootstrap: bootstrap.split(',').map((s) => s.trim()).join(',') }),
    clientId: stack.clientId ?? DEFAULT_CLIENT_ID,
    tls: stack.tls ?? false,
    ...(mechanism !== undefined && { saslMechanism: mechanism.toLowerCase() as SaslMechanism }),
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password: new Secret(password) }),
  };
}

/**
 * Settings without a stack (verbs whose --stack is optional): the environment alone; a bad
 * variable is a KafkaConfigError.
 */
export function kafkaSettingsFromEnv(env: NodeJS.ProcessEnv): KafkaConnectionSettings {
  const diagnostics: Diagnostic[] = [];
  const settings = kafkaSettings({}, env, diagnostics);
  if (diagnostics.length) throw new KafkaConfigError(diagnostics.map((d) => d.message).join('; '));
  return settings;
}

// ---------------------------------------------------------------- the connection

/** Settings (stack and environment) with the command line over them, checked for use. */
export function resolveConnection(settings: KafkaConnectionSettings, overrides: ConnectionOverrides = {}): KafkaConnection {
  const bootstrap = overrides.bootstrap?.trim() || settings.bootstrap;
  if (!bootstrap) {
    throw new KafkaConfigError(
      `no Kafka bootstrap servers: set the stack's meshform:kafkaBootstrap, ${KAFKA_ENV.bootstrap}, or --bootstrap host:port`,
    );
  }
  const parsed = parseBootstrap(bootstrap);
  if ('problem' in parsed) throw new KafkaConfigError(`bad Kafka bootstrap: ${bootstrapProblem(parsed)}`);
  const brokers = parsed.brokers.map(formatAddress);

  const { saslMechanism: rawMechanism, username, password } = settings;
  const connection: KafkaConnection = { brokers, clientId: settings.clientId || DEFAULT_CLIENT_ID, tls: settings.tls };
  if (rawMechanism === undefined) {
    if (username !== undefined || password !== undefined) {
      throw new KafkaConfigError(`Kafka username/password given without a SASL mechanism: set ${KAFKA_ENV.mechanism} (${SASL_MECHANISMS.join(', ')})`);
    }
    return connection;
  }
  const mechanism = rawMechanism.toLowerCase();
  if (!isSaslMechanism(mechanism)) {
    throw new KafkaConfigError(`unknown SASL mechanism "${rawMechanism}": use ${SASL_MECHANISMS.join(', ')}`);
  }
  if (!username || password === undefined) {
    throw new KafkaConfigError(`SASL ${mechanism} needs a username and password: set ${KAFKA_ENV.username} and ${KAFKA_ENV.password}`);
  }
  return { ...connection, sasl: { mechanism, username, password } };
}

/** For humans: where and as whom, never the password. */
export function describeConnection(connection: KafkaConnection): string {
  const auth = connection.sasl ? `SASL ${connection.sasl.mechanism} as ${connection.sasl.username}` : 'no SASL';
  return `${connection.brokers.join(',')} (${auth}, TLS ${connection.tls ? 'on' : 'off'})`;
}
