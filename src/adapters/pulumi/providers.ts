/**
 * Explicit providers for the program's GCP and Kubernetes resources. A program (or a test) may
 * pass its own (a project, impersonation, a kubeconfig); otherwise, when the stack disables
 * default providers (`pulumi:disable-default-providers`), the program makes them itself from the
 * stack config Pulumi's default providers would read: `gcp:*` / `kubernetes:*` keys, and the
 * stack's `meshform:gcpProject`. With default providers allowed nothing is created, so URNs and
 * provider references of existing stacks stay as they are.
 */
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../stack/types';

export interface ProgramProviders {
  gcp?: pulumi.ProviderResource;
  kubernetes?: pulumi.ProviderResource;
  /** For the Kafka dynamic resources (package `pulumi-nodejs`). */
  dynamic?: pulumi.ProviderResource;
}

/** Stack keys an explicit Kafka provider is configured with; the secret ones stay Pulumi secrets. */
const KAFKA_PROVIDER_KEYS = ['kafkaBootstrap', 'kafkaClientId', 'kafkaTls', 'kafkaSaslMechanism', 'kafkaUsername', 'kafkaPassword'];
const SECRET_KEYS = new Set(['kafkaUsername', 'kafkaPassword', 'kafkaBootstrap']);

/** An explicit instance of Pulumi's Node.js dynamic provider (`pulumi:providers:pulumi-nodejs`). */
class DynamicProvider extends pulumi.ProviderResource {
  constructor(name: string, inputs: Record<string, pulumi.Input<string>>) {
    super('pulumi-nodejs', name, inputs);
  }
}

/** Packages whose default provider the stack disables (`*` = all), from the runtime's config. */
export function disabledDefaultProviders(config: Record<string, string>): Set<string> {
  const raw = config['pulumi:disable-default-providers'];
  if (!raw) return new Set();
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = raw.split(',');
  }
  return new Set((Array.isArray(list) ? list : [list]).map((x) => String(x).trim()));
}

/** The providers to use: the caller's, else ones made here for the packages whose defaults are disabled. */
export function programProviders(stack: StackConfig, config: Record<string, string>, given: ProgramProviders = {}): ProgramProviders {
  const disabled = disabledDefaultProviders(config);
  const off = (pkg: string) => disabled.has('*') || disabled.has(pkg);
  const providers: ProgramProviders = { ...given };
  const keys = (pkg: string) =>
    Object.fromEntries(
      Object.entries(config)
        .filter(([k]) => k.startsWith(`${pkg}:`))
        .map(([k, v]) => [k.slice(pkg.length + 1), parseValue(v)]),
    );
  if (!providers.gcp && off('gcp') && !stack.crossplane.enabled) {
    const gcp = require('@pulumi/gcp') as typeof import('@pulumi/gcp');
    providers.gcp = new gcp.Provider('meshform-gcp', { ...keys('gcp'), project: stack.gcp.project });
  }
  if (!providers.kubernetes && off('kubernetes') && stack.crossplane.enabled && stack.crossplane.delivery === 'pulumi') {
    const k8s = require('@pulumi/kubernetes') as typeof import('@pulumi/kubernetes');
    providers.kubernetes = new k8s.Provider('meshform-kubernetes', keys('kubernetes'));
  }
  if (!providers.dynamic && off('pulumi-nodejs') && stack.kafka.connection.bootstrap) {
    // The engine gives a default dynamic provider the whole stack config; an explicit one gets
    // exactly what it is given: the Kafka keys, under the names the provider reads.
    const inputs: Record<string, pulumi.Input<string>> = {};
    for (const key of KAFKA_PROVIDER_KEYS) {
      const value = config[`meshform:${key}`];
      if (value !== undefined) inputs[`meshform:${key}`] = SECRET_KEYS.has(key) ? pulumi.secret(value) : value;
    }
    providers.dynamic = new DynamicProvider('meshform-kafka', inputs);
  }
  return providers;
}

/** Config values arrive as strings; JSON ones (booleans, lists, maps) as their JSON text. */
function parseValue(value: string): unknown {
  try {
    const parsed = JSON.parse(value);
    return typeof parsed === 'object' || typeof parsed === 'boolean' || typeof parsed === 'number' ? parsed : value;
  } catch {
    return value;
  }
}
