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
  if (!providers.kubernetes && off('kubernetes') && stack.crossplane.enabled) {
    const k8s = require('@pulumi/kubernetes') as typeof import('@pulumi/kubernetes');
    providers.kubernetes = new k8s.Provider('meshform-kubernetes', keys('kubernetes'));
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
