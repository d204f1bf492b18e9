/** StackConfig values built in code: a complete test stack with any part overridden. */
import type { StackConfig } from '../../src/stack/types';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export type StackOverrides = DeepPartial<StackConfig>;

export function stack(overrides: StackOverrides = {}): StackConfig {
  const base: StackConfig = {
    name: 'test',
    environment: 'test',
    gcp: { project: 'acme-data-test', location: 'EU' },
    kafka: {
      principalTemplate: 'User:{domain}',
      defaultPartitions: 3,
      defaultReplicas: 3,
      partitionFactor: 1,
      quotas: { defaults: {}, factor: 1 },
      allowDelete: false,
      allowDeletePrivate: false,
      allowBreaking: false,
      connection: { clientId: 'meshform', tls: false },
    },
    crossplane: { enabled: false, delivery: 'pulumi', namespace: 'data-products' },
    schemas: { compatibility: 'BACKWARD', registry: {} },
    protect: false,
    specs: 'specs',
  };
  return {
    ...base,
    ...overrides,
    gcp: { ...base.gcp, ...overrides.gcp },
    kafka: {
      ...base.kafka,
      ...overrides.kafka,
      connection: { ...base.kafka.connection, ...overrides.kafka?.connection },
      quotas: { ...base.kafka.quotas, ...overrides.kafka?.quotas },
    },
    crossplane: { ...base.crossplane, ...overrides.crossplane },
    schemas: {
      ...base.schemas,
      ...overrides.schemas,
      registry: { ...base.schemas.registry, ...overrides.schemas?.registry },
    },
  } as StackConfig;
}
