/**
 * Every `meshform:` stack config key: its type and the check of its value.
 * docs/stacks.md documents each one; a test keeps the two in step.
 */
import { COMPATIBILITY_LEVELS, isCompatibility } from '../schemas/types';
import type { QuotaKey } from '../vocabulary/mesh';
import { checkBootstrap, checkSaslMechanism, KAFKA_ENV } from './kafka-connection';

export { SASL_MECHANISMS, type SaslMechanism } from './kafka-connection';

export type KeyType = 'string' | 'integer' | 'number' | 'boolean';

export interface StackKey {
  type: KeyType;
  /** The environment variable that overrides a secret key (named in the plain-text warning). */
  env?: string;
  /** Returns why a well-typed value is still wrong, or undefined when it is fine. */
  check?: (value: never) => string | undefined;
  /** May (or should) be a Pulumi secret: `pulumi config set --secret`. */
  secret?: 'allowed' | 'expected';
  /** A boolean key's other values, words (`meshform:crossplane: gitops`). */
  words?: readonly string[];
}

const GCP_PROJECT = /^([a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const IAM_MEMBER = /^(user|group|serviceAccount|domain):[^\s:]+$/;
const K8S_NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const atLeastOne = (n: number) => (n >= 1 ? undefined : 'must be at least 1');

export const STACK_KEYS = {
  gcpProject: {
    type: 'string',
    check: (v: string) => (GCP_PROJECT.test(v) ? undefined : `'${v}' is not a GCP project id`),
  },
  location: { type: 'string', check: (v: string) => (v.trim() ? undefined : 'must not be empty') },
  environment: {
    type: 'string',
    check: (v: string) => (v.trim() ? undefined : 'must not be empty'),
  },
  publicReaders: {
    type: 'string',
    check: (v: string) =>
      IAM_MEMBER.test(v)
        ? undefined
        : `'${v}' is not an IAM member of the form user:|group:|serviceAccount:|domain:<name> (allUsers and allAuthenticatedUsers are never allowed)`,
  },
  kafkaPrincipal: {
    type: 'string',
    check: (v: string) =>
      !v.includes('{domain}')
        ? 'must contain {domain}, or every product would share one principal'
        : !/^[A-Za-z]+:/.test(v)
          ? `'${v}' must start with a principal type, e.g. User:{domain}`
          : undefined,
  },
  defaultPartitions: { type: 'integer', check: atLeastOne },
  defaultReplicas: { type: 'integer', check: atLeastOne },
  replicasCap: { type: 'integer', check: atLeastOne },
  partitionFactor: {
    type: 'number',
    check: (v: number) => (v > 0 && v <= 100 ? undefined : 'must be greater than 0 and at most 100'),
  },
  quotaProducerByteRate: { type: 'integer', check: atLeastOne },
  quotaConsumerByteRate: { type: 'integer', check: atLeastOne },
  quotaRequestPercentage: {
    type: 'number',
    check: (v: number) => (v > 0 && v <= 100 ? undefined : 'must be greater than 0 and at most 100'),
  },
  quotaFactor: {
    type: 'number',
    check: (v: number) => (v > 0 && v <= 100 ? undefined : 'must be greater than 0 and at most 100'),
  },
  allowDelete: { type: 'boolean' },
  allowDeletePrivate: { type: 'boolean' },
  allowBreaking: { type: 'boolean' },
  kafkaBootstrap: {
    type: 'string',
    secret: 'allowed',
    check: (v: string) => checkBootstrap(v),
  },
  kafkaTls: { type: 'boolean' },
  kafkaSaslMechanism: { type: 'string', check: (v: string) => checkSaslMechanism(v) },
  kafkaUsername: { type: 'string', secret: 'allowed' },
  kafkaPassword: { type: 'string', secret: 'expected', env: KAFKA_ENV.password },
  kafkaClientId: { type: 'string', check: (v: string) => (v.trim() ? undefined : 'must not be empty') },
  /** `true`: DataProducts through Pulumi; `gitops`: written by `meshform crossplane render`, not in Pulumi's state. */
  crossplane: { type: 'boolean', words: ['gitops'] },
  crossplaneNamespace: {
    type: 'string',
    check: (v: string) =>
      K8S_NAMESPACE.test(v) && v.length <= 63 ? undefined : `'${v}' is not a Kubernetes namespace name`,
  },
  protect: { type: 'boolean' },
  schemaRegistryUrl: { type: 'string', secret: 'allowed', check: (v: string) => checkRegistryUrl(v) },
  schemaRegistryUsername: { type: 'string', secret: 'allowed' },
  schemaRegistryPassword: { type: 'string', secret: 'expected', env: 'MESHFORM_SCHEMA_REGISTRY_PASSWORD' },
  schemaCompatibility: {
    type: 'string',
    check: (v: string) => (isCompatibility(v) ? undefined : `'${v}' is not one of ${COMPATIBILITY_LEVELS.join(', ')}`),
  },
  specs: { type: 'string', check: (v: string) => (v.trim() ? undefined : 'must not be empty') },
  domains: { type: 'string', check: (v: string) => checkIdList(v, 'business domain') },
  products: { type: 'string', check: (v: string) => checkIdList(v, 'product id or dotted prefix') },
} satisfies Record<string, StackKey>;

export type StackKeyName = keyof typeof STACK_KEYS;

/** The stack key that gives each quota's default. */
export const STACK_QUOTA_KEYS = {
  producer_byte_rate: 'quotaProducerByteRate',
  consumer_byte_rate: 'quotaConsumerByteRate',
  request_percentage: 'quotaRequestPercentage',
} as const satisfies Record<QuotaKey, StackKeyName>;

export function isStackKeyName(name: string): name is StackKeyName {
  return Object.prototype.hasOwnProperty.call(STACK_KEYS, name);
}

/** `acme.retail,acme.finance`: the items of a selection list (`meshform:domains`, `meshform:products`). */
export function idList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const ID_LIKE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;

function checkIdList(value: string, what: string): string | undefined {
  const items = idList(value);
  if (items.length === 0) return `must name at least one ${what} (comma-separated)`;
  const bad = items.find((i) => !ID_LIKE.test(i));
  return bad === undefined ? undefined : `'${bad}' is not a ${what} (dotted, as acme.retail)`;
}

/** A schema registry base URL: http(s), no credentials in it (they go to the username/password settings). */
export function checkRegistryUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL (e.g. http://registry:8081)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http:// or https:// URL, not ${url.protocol}`;
  if (url.username || url.password) return 'must not carry credentials: set the schema registry username and password instead';
  return undefined;
}

/** Environment variables for the schema registry connection; they win over the stack file. */
export const REGISTRY_ENV = {
  url: 'MESHFORM_SCHEMA_REGISTRY_URL',
  username: 'MESHFORM_SCHEMA_REGISTRY_USERNAME',
  password: 'MESHFORM_SCHEMA_REGISTRY_PASSWORD',
} as const;
