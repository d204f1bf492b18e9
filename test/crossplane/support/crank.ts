/** `crank beta validate` from the crossplane peer: the API server's schema, unknown-field and CEL validation, offline. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CROSSPLANE_SCHEMA_IMAGE } from '@meshform/peers/src/crossplane';

export const NAMESPACED_PROVIDER_CRDS = join(__dirname, '..', 'fixtures', 'provider-gcp-namespaced');

export interface Validation {
  code: number | null;
  /** `[x] ...` and `[!] ...` lines: each a failure or a resource without a schema. */
  problems: string[];
  /** crank's closing line: `Total N resources: ...`. */
  total: string;
  output: string;
}

/**
 * Validates `resources` (files or folders) against `extensions` (XRDs, CRDs) and Crossplane's own
 * CRDs (pre-loaded into the peer's validate cache, so nothing is pulled from a registry).
 * A resource whose kind has no schema is a failure too.
 */
export function crankValidate(env: NodeJS.ProcessEnv, extensions: string[], resources: string[]): Validation {
  const cache = env.MESHFORM_CROSSPLANE_VALIDATE_CACHE;
  if (!cache) throw new Error('MESHFORM_CROSSPLANE_VALIDATE_CACHE is not set: is the crossplane peer installed?');
  const run = spawnSync(
    'crank',
    [
      'beta',
      'validate',
      extensions.join(','),
      resources.join(','),
      `--cache-dir=${cache}`,
      `--crossplane-image=${CROSSPLANE_SCHEMA_IMAGE}`,
      '--error-on-missing-schemas',
      '--skip-success-results',
    ],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const lines = output.split('\n');
  return {
    code: run.status,
    problems: lines.filter((l) => l.startsWith('[x]') || l.startsWith('[!]')),
    total: lines.find((l) => l.startsWith('Total ')) ?? '',
    output,
  };
}
