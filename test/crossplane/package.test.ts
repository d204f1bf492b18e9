/**
 * The Crossplane package (crossplane/*.yaml) against what meshform emits, without Crossplane:
 * rendered DataProducts validate against the XRD schema, patch-and-transform reads only fields the
 * schema defines, and the functions the peer builds satisfy the package's dependencies. What the
 * Composition composes is checked by Crossplane's own render in real-render.test.ts.
 */
import { BINARIES } from '@meshform/peers/src/crossplane';
import { planDataProduct } from '../../src/plan/crossplane';
import type { CrossplaneDataProduct } from '../../src/plan/types';
import { stack } from '../support/stack';
import {
  compileXrSchema,
  composition,
  configuration,
  fieldPathSegments,
  prunedFields,
  xrd,
  xrSchema,
  type JsonSchema,
} from './support/package';
import { sampleMesh } from './support/sample-mesh';

const validate = compileXrSchema();

function dataProducts(): CrossplaneDataProduct[] {
  const m = sampleMesh();
  const s = stack({ gcp: { publicReaders: 'domain:acme.com' }, protect: true });
  return m.products.map((p) => planDataProduct(p, m, s));
}

describe('package metadata', () => {
  test('the XRD is a namespaced v2 definition of meshifi.io/v1alpha1 DataProduct', () => {
    expect(xrd.apiVersion).toBe('apiextensions.crossplane.io/v2');
    expect(xrd.spec.scope).toBe('Namespaced');
    expect(xrd.spec.group).toBe('meshifi.io');
    expect(xrd.spec.names.kind).toBe('DataProduct');
    expect(xrd.spec.versions.map((v) => [v.name, v.served, v.referenceable])).toEqual([['v1alpha1', true, true]]);
  });

  test('the Composition is a pipeline for the XRD type whose functions are all package dependencies', () => {
    expect(composition.apiVersion).toBe('apiextensions.crossplane.io/v1');
    expect(composition.spec.mode).toBe('Pipeline');
    expect(composition.spec.compositeTypeRef).toEqual({ apiVersion: 'meshifi.io/v1alpha1', kind: 'DataProduct' });
    // Crossplane names a dependency's Function object <org>-<name> from its package path.
    const functions = configuration.spec.dependsOn
      .filter((d) => d.function)
      .map((d) => d.function.split('/').slice(-2).join('-'));
    for (const step of composition.spec.pipeline) expect(functions).toContain(step.functionRef.name);
    const providers = configuration.spec.dependsOn.filter((d) => d.provider).map((d) => d.provider);
    expect(providers).toEqual([
      'xpkg.upbound.io/upbound/provider-gcp-bigquery',
      'xpkg.upbound.io/upbound/provider-gcp-cloudplatform',
    ]);
    for (const d of configuration.spec.dependsOn) expect(d.version).toMatch(/^>=v\d+\.\d+\.\d+$/);
  });
});

describe('rendered DataProducts against the XRD schema', () => {
  test.each(dataProducts().map((dp) => [dp.product, dp]))('%s validates and loses no field to pruning', (_id, dp) => {
    const ok = validate(dp.properties);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // apiVersion, kind and metadata are the API server's; everything in spec must be the XRD's.
    expect(prunedFields(dp.properties.spec, xrSchema().properties!.spec)).toEqual([]);
    expect(dp.properties.apiVersion).toBe('meshifi.io/v1alpha1');
    expect(dp.properties.kind).toBe('DataProduct');
    expect(dp.properties.metadata.namespace).toBe('data-products');
  });

  test('the schema rejects what meshform never emits', () => {
    const dp = dataProducts()[0].properties;
    const broken = (mutate: (spec: Record<string, unknown>) => void) => {
      const copy = structuredClone(dp);
      mutate(copy.spec as unknown as Record<string, unknown>); // writes what the type forbids, on purpose
      return validate(copy);
    };
    expect(broken((s) => ((s.serviceAccount as Record<string, unknown>).accountId = 'ab'))).toBe(false);
    expect(broken((s) => ((s.serviceAccount as Record<string, unknown>).accountId = '1abcdefg'))).toBe(false);
    expect(broken((s) => ((s.datasets as Record<string, unknown>[])[0].datasetId = 'a.b'))).toBe(false);
    expect(broken((s) => ((s.datasets as Record<string, unknown>[])[0].layer = 'gold'))).toBe(false);
    expect(broken((s) => (s.owners = ['allUsers']))).toBe(false);
    expect(broken((s) => (s.owners = []))).toBe(false);
    expect(broken((s) => delete s.project)).toBe(false);
    expect(broken((s) => (s.project = 'Bad_Project'))).toBe(false);
  });
});

describe('the Composition reads only what the schema defines', () => {
  const schema = xrSchema();

  test('patch-and-transform patches read existing fields and write to the composed resource', () => {
    const patches = composition.spec.pipeline.flatMap((s) => s.input?.resources ?? []).flatMap((r) => r.patches ?? []);
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      expect(patch.type).toBe('FromCompositeFieldPath');
      let node: JsonSchema | undefined = schema;
      for (const segment of fieldPathSegments(patch.fromFieldPath)) node = node?.properties?.[String(segment)];
      expect([patch.fromFieldPath, node !== undefined]).toEqual([patch.fromFieldPath, true]);
    }
  });
});

/** `>=v1.2.3` -> [1, 2, 3]. */
const floor = (constraint: string) => constraint.replace(/^>=v/, '').split('.').map(Number);
const atLeast = (version: string, min: number[]) => {
  const v = version.replace(/^v/, '').split('.').map(Number);
  const i = v.findIndex((x, k) => x !== min[k]);
  return i === -1 || v[i] > min[i];
};

describe('the crossplane peer builds what the package depends on', () => {
  test.each(configuration.spec.dependsOn.filter((d) => d.function).map((d) => [d.function, d.version]))(
    '%s %s: the peer builds a version the constraint accepts',
    (fn, version) => {
      const name = fn.split('/').pop();
      const built = BINARIES.find((b) => b.bin === name);
      expect([name, built !== undefined]).toEqual([name, true]);
      expect([name, built!.version, atLeast(built!.version, floor(version))]).toEqual([name, built!.version, true]);
    },
  );
});
