/**
 * Stack config entries (from a stack file or from the Pulumi runtime) -> checked StackConfig.
 * Every problem becomes a Diagnostic; secret values are never copied into a message.
 */
import { error, hasErrors, warning, type Diagnostic, type SourceLocation } from '../vocabulary/diagnostics';
import { didYouMean, nearest } from '../suggest';
import {
  STACK_KEYS,
  STACK_QUOTA_KEYS,
  checkRegistryUrl,
  REGISTRY_ENV,
  idList,
  isStackKeyName,
  type StackKey,
  type StackKeyName,
} from './keys';
import type { StackConfig } from './types';
import { DEFAULT_COMPATIBILITY, type Compatibility } from '../schemas/types';
import { Secret } from '../vocabulary/secret';
import { DEFAULT_CLIENT_ID, kafkaSettings } from './kafka-connection';

export interface ConfigEntry {
  /** As written: `meshform:replicasCap`, `gcp:project`, legacy `meshform:config:replicasCap`. */
  key: string;
  /** A YAML value, or a Pulumi secret `{secure: <ciphertext>}`. */
  value: unknown;
  keyLocation?: SourceLocation;
  valueLocation?: SourceLocation;
}

export interface StackSource {
  /** Where a problem with no better place is reported (the stack file, line 1). */
  location?: SourceLocation;
  /** `file`: a stack file on disk, where plain-text secrets deserve a warning. */
  kind: 'file' | 'pulumi';
}

type Value = string | number | boolean;

/** A value that exists but is encrypted: only Pulumi itself can read it. */
const SECRET = Symbol('secret');

export const DEFAULTS = {
  location: 'EU',
  kafkaPrincipal: 'User:{domain}',
  defaultPartitions: 3,
  defaultReplicas: 3,
  partitionFactor: 1,
  quotaFactor: 1,
  kafkaClientId: DEFAULT_CLIENT_ID,
  crossplaneNamespace: 'default',
  specs: 'specs',
} as const;

export function buildStackConfig(
  stackName: string,
  entries: readonly ConfigEntry[],
  env: NodeJS.ProcessEnv,
  source: StackSource,
): { stack?: StackConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const values = new Map<StackKeyName, Value | typeof SECRET>();
  /** Keys written in the file, valid or not: a bad value is not also reported as missing. */
  const written = new Set<string>();
  let gcpProjectFallback: string | undefined;

  for (const entry of entries) {
    const where = entry.keyLocation ?? source.location;
    const colon = entry.key.indexOf(':');
    if (colon <= 0) {
      diagnostics.push(error('MF-STACK-KEY', `config key '${entry.key}' needs a namespace, e.g. meshform:${entry.key}`, where));
      continue;
    }
    const namespace = entry.key.slice(0, colon);
    // Pulumi still accepts the old `<namespace>:config:<name>` form.
    const name = entry.key.slice(colon + 1).replace(/^config:/, '');
    written.add(`${namespace}:${name}`);
    if (namespace !== 'meshform' && nearest(namespace, ['meshform'], { abbreviations: false })) {
      // Another provider's key is none of meshform's business, but a misspelt meshform: would be ignored silently.
      const meant = isStackKeyName(name) ? name : nearest(name, Object.keys(STACK_KEYS));
      diagnostics.push(error('MF-STACK-KEY', `unknown namespace '${namespace}' in '${entry.key}'${meant ? ` (did you mean meshform:${meant}?)` : ''}`, where));
      continue;
    }
    if (namespace !== 'meshform') {
      if (namespace === 'gcp' && name === 'project' && typeof entry.value === 'string') {
        const problem = STACK_KEYS.gcpProject.check(entry.value);
        if (problem) diagnostics.push(error('MF-STACK-VALUE', `gcp:project: ${problem}`, entry.valueLocation ?? where));
        else gcpProjectFallback = entry.value;
      }
      continue;
    }
    if (!isStackKeyName(name)) {
      diagnostics.push(error('MF-STACK-KEY', `unknown key 'meshform:${name}'${suggestion(name)}`, where));
      continue;
    }
    const value = readValue(name, STACK_KEYS[name], entry, source, diagnostics);
    if (value !== undefined) values.set(name, value);
  }

  const get = <T extends Value>(name: StackKeyName): T | undefined => {
    const v = values.get(name);
    return v === SECRET ? undefined : (v as T | undefined);
  };

  const gcpProject = get<string>('gcpProject') ?? gcpProjectFallback;
  if (gcpProject === undefined && !written.has('meshform:gcpProject')) {
    diagnostics.push(error('MF-STACK-REQUIRED', 'missing meshform:gcpProject (or gcp:project)', source.location));
  }
  if (get<boolean>('allowDeletePrivate') && !get<boolean>('allowDelete')) {
    diagnostics.push(
      warning('MF-STACK-INEFFECTIVE', 'meshform:allowDeletePrivate has no effect without meshform:allowDelete', source.location),
    );
  }

  const connection = kafkaSettings(
    {
      bootstrap: get<string>('kafkaBootstrap'),
      clientId: get<string>('kafkaClientId'),
      tls: get<boolean>('kafkaTls'),
      saslMechanism: get<string>('kafkaSaslMechanism'),
      username: get<string>('kafkaUsername'),
      password: get<string>('kafkaPassword'),
    },
    env,
    diagnostics,
  );
  const registry = registryConnection(get, env, diagnostics);
  if (hasErrors(diagnostics) || gcpProject === undefined) return { diagnostics };

  const publicReaders = get<string>('publicReaders');
  const replicasCap = get<number>('replicasCap');
  const domains = get<string>('domains');
  const selected = get<string>('products');
  const stack: StackConfig = {
    name: stackName,
    environment: get<string>('environment') ?? stackName,
    gcp: {
      project: gcpProject,
      location: get<string>('location') ?? DEFAULTS.location,
      ...(publicReaders !== undefined && { publicReaders }),
    },
    kafka: {
      principalTemplate: get<string>('kafkaPrincipal') ?? DEFAULTS.kafkaPrincipal,
      defaultPartitions: get<number>('defaultPartitions') ?? DEFAULTS.defaultPartitions,
      defaultReplicas: get<number>('defaultReplicas') ?? DEFAULTS.defaultReplicas,
      ...(replicasCap !== undefined && { replicasCap }),
      partitionFactor: get<number>('partitionFactor') ?? DEFAULTS.partitionFactor,
      quotas: {
        defaults: definedOnly({
          producer_byte_rate: get<number>(STACK_QUOTA_KEYS.producer_byte_rate),
          consumer_byte_rate: get<number>(STACK_QUOTA_KEYS.consumer_byte_rate),
          request_percentage: get<number>(STACK_QUOTA_KEYS.request_percentage),
        }),
        factor: get<number>('quotaFactor') ?? DEFAULTS.quotaFactor,
      },
      allowDelete: get<boolean>('allowDelete') ?? false,
      allowDeletePrivate: get<boolean>('allowDeletePrivate') ?? false,
      allowBreaking: get<boolean>('allowBreaking') ?? false,
      connection,
    },
    crossplane: {
      enabled: (get<boolean | string>('crossplane') ?? false) !== false,
      delivery: get<boolean | string>('crossplane') === 'gitops' ? 'gitops' : 'pulumi',
      namespace: get<string>('crossplaneNamespace') ?? DEFAULTS.crossplaneNamespace,
    },
    schemas: {
      compatibility: (get<string>('schemaCompatibility') as Compatibility | undefined) ?? DEFAULT_COMPATIBILITY,
      registry,
    },
    protect: get<boolean>('protect') ?? stackName === 'prod',
    specs: get<string>('specs') ?? DEFAULTS.specs,
    ...((domains !== undefined || selected !== undefined) && {
      selection: { domains: domains === undefined ? [] : idList(domains), products: selected === undefined ? [] : idList(selected) },
    }),
  };
  return { stack, diagnostics };
}

function definedOnly<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function readValue(
  name: StackKeyName,
  key: StackKey,
  entry: ConfigEntry,
  source: StackSource,
  diagnostics: Diagnostic[],
): Value | typeof SECRET | undefined {
  const where = entry.valueLocation ?? entry.keyLocation ?? source.location;
  if (isSecure(entry.value)) {
    if (key.secret) return SECRET;
    diagnostics.push(
      error('MF-STACK-SECRET', `meshform:${name} must not be a secret: meshform reads it outside Pulumi`, where),
    );
    return undefined;
  }
  const value = coerce(entry.value, key.type, key.words);
  if (value === undefined && key.words) {
    // A word misspelt, or another value: the values there are, and the nearest.
    const given = typeof entry.value === 'string' ? entry.value : undefined;
    const values = ['true', 'false', ...key.words];
    const meant = given === undefined ? undefined : (values.find((v) => v === given.toLowerCase()) ?? nearest(given, values));
    diagnostics.push(
      error('MF-STACK-TYPE', `meshform:${name} must be true, false or ${key.words.join(' or ')}, got ${describe(entry.value)}${meant ? ` (did you mean ${meant}?)` : ''}`, where),
    );
    return undefined;
  }
  if (value === undefined) {
    // A secret-capable value is not echoed, even when it is only mistyped.
    const shown = key.secret === 'expected' ? 'a value' : describe(entry.value);
    diagnostics.push(error('MF-STACK-TYPE', `meshform:${name} must be ${article(key.type)}, got ${shown}`, where));
    return undefined;
  }
  const problem = key.check?.(value as never);
  if (problem) {
    diagnostics.push(error('MF-STACK-VALUE', `meshform:${name}: ${key.secret === 'expected' ? 'invalid value' : problem}`, where));
    return undefined;
  }
  if (key.secret === 'expected' && source.kind === 'file') {
    diagnostics.push(
      warning(
        'MF-STACK-PLAINTEXT-SECRET',
        `meshform:${name} is stored in plain text; use 'pulumi config set --secret meshform:${name}'${key.env ? ` or ${key.env}` : ''}`,
        where,
      ),
    );
  }
  return value;
}

/** Pulumi writes `pulumi config set k 3` as the string "3": both forms are accepted. */
function coerce(value: unknown, type: StackKey['type'], words: readonly string[] = []): Value | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return typeof value === 'string' && words.includes(value) ? value : undefined;
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    }
    case 'number': {
      const n = typeof value === 'string' && /^-?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    }
  }
}

function isSecure(value: unknown): value is { secure: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === 'string'
  );
}

/**
 * A reader of the registry's environment variables, which win over the stack file: unset and empty
 * are the same; a value that fails `check` is a diagnostic naming the variable. (Kafka's are read in
 * kafka-connection.ts.)
 */
function envReader(env: NodeJS.ProcessEnv, diagnostics: Diagnostic[]) {
  return (variable: string, check?: (v: string) => string | undefined): string | undefined => {
    const value = env[variable];
    if (value === undefined || value === '') return undefined;
    const problem = check?.(value);
    if (problem) {
      diagnostics.push(error('MF-STACK-ENV', `${variable}: ${problem}`));
      return undefined;
    }
    return value;
  };
}

/** The schema registry from the environment alone (MESHFORM_SCHEMA_REGISTRY_*), for a command run without a stack. */
export function registryFromEnv(env: NodeJS.ProcessEnv = process.env): { registry: StackConfig['schemas']['registry']; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return { registry: registryConnection(() => undefined, env, diagnostics), diagnostics };
}

/** The schema registry: environment first, then the stack (like Kafka's connection). */
function registryConnection(
  get: <T extends Value>(name: StackKeyName) => T | undefined,
  env: NodeJS.ProcessEnv,
  diagnostics: Diagnostic[],
): StackConfig['schemas']['registry'] {
  const fromEnv = envReader(env, diagnostics);
  const url = fromEnv(REGISTRY_ENV.url, checkRegistryUrl) ?? get<string>('schemaRegistryUrl');
  const username = fromEnv(REGISTRY_ENV.username) ?? get<string>('schemaRegistryUsername');
  const password = fromEnv(REGISTRY_ENV.password) ?? get<string>('schemaRegistryPassword');
  return {
    ...(url !== undefined && { url: url.replace(/\/+$/, '') }),
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password: new Secret(password) }),
  };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: StackKey['type']): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}

/** ` (did you mean meshform:replicasCap?)` for a near miss. */
function suggestion(name: string): string {
  return didYouMean(name, Object.keys(STACK_KEYS), (known) => `meshform:${known}`);
}
