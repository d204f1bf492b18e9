/**
 * The Composition in crossplane/ run by Crossplane's own render (`crank render`, v2.2) with the real
 * functions (patch-and-transform, go-templating, auto-ready) for every product of the example specs
 * under every example stack, and for edge-case products. Oracles we did not write:
 *   - GCP mode's plan of the same product: the composed resources must be exactly those resources;
 *   - the Upbound GCP provider's CRDs of the namespaced kinds, enforced by `crank beta validate`
 *     (the API server's structural schema, unknown-field pruning and CEL rules);
 *   - Crossplane's own CRDs for the XRD and the Composition themselves.
 * The functions run as local programs (the Development runtime; the Docker runtime renders the same: docker-runtime.test.ts).
 * Needs the crossplane peer (`npm run -s peers -- install crossplane`); skipped with the reason without it.
 */
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import {
  startComposer,
  type ComposedResource,
  type Composer,
  type KubeObject,
  type RenderedProduct,
} from '../../src/adapters/crossplane/compose';
import { PACKAGE_DIR } from '../../src/cli/crossplane';
import { loadMesh } from '../../src/model';
import type { Mesh } from '../../src/vocabulary/mesh';
import { planMesh } from '../../src/plan';
import { ROLE_DATA_EDITOR, ROLE_DATA_VIEWER, ROLE_TOKEN_CREATOR } from '../../src/plan/crossplane';
import type { CrossplaneDataProduct } from '../../src/plan/types';
import { listStacks, loadStack } from '../../src/stack/load';
import type { StackConfig } from '../../src/stack/types';
import { PROVIDER_CRD_FILES } from '@meshform/peers/src/crossplane';
import { describeWithPeer, envWithPeer } from '@meshform/peers/testing/peers';
import { adoptingMesh, asPlanResource, edgeCases, externalName, forProvider, planResourceKey } from './support/composed';
import { crankValidate, NAMESPACED_PROVIDER_CRDS } from './support/crank';

const ROOT = join(__dirname, '..', '..');
const XRD = join(PACKAGE_DIR, 'definition.yaml');
const COMPOSITION = join(PACKAGE_DIR, 'composition.yaml');

interface Case {
  title: string;
  mesh: () => Promise<Mesh>;
  stack: StackConfig;
}

/** Every stack in stacks/ (Crossplane mode forced where the stack itself runs GCP mode), over every spec in specs/. */
function exampleCases(): Case[] {
  const exampleMesh = async () => {
    const { mesh, diagnostics } = await loadMesh([join(ROOT, 'specs')], { cwd: ROOT });
    if (!mesh) throw new Error(`example specs do not load: ${JSON.stringify(diagnostics)}`);
    return mesh;
  };
  return listStacks(ROOT).map((name) => {
    const { stack } = loadStack(name, { root: ROOT, env: {} });
    if (!stack) throw new Error(`example stack ${name} does not load`);
    const own = stack.crossplane.enabled ? 'Crossplane mode' : 'GCP mode stack, Crossplane forced on';
    return { title: `example specs, stack ${name} (${own})`, mesh: exampleMesh, stack: { ...stack, crossplane: { ...stack.crossplane, enabled: true } } };
  });
}

function cases(): Case[] {
  return [...exampleCases(), ...edgeCases().map((c) => ({ title: c.name, mesh: async () => c.mesh, stack: c.stack }))];
}

function gcpPlanByProduct(mesh: Mesh, stack: StackConfig): Map<string, string[]> {
  const plan = planMesh(mesh, { ...stack, crossplane: { ...stack.crossplane, enabled: false } });
  const byProduct = new Map<string, string[]>();
  for (const r of plan.resources) {
    if (!r.kind.startsWith('gcp:')) continue;
    byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), planResourceKey(r)]);
  }
  return byProduct;
}

function dataProducts(mesh: Mesh, stack: StackConfig): CrossplaneDataProduct[] {
  return planMesh(mesh, stack).resources.filter((r): r is CrossplaneDataProduct => r.kind === 'crossplane:DataProduct');
}

const spec = (dp: CrossplaneDataProduct) => dp.properties.spec;

/** The facts a composed resource must have beyond GCP-mode equality: project, namespace, ownership, policies. */
function checkComposed(dp: CrossplaneDataProduct, stack: StackConfig, out: RenderedProduct): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => ok || problems.push(`${dp.product}: ${what}`);
  const { name, namespace } = dp.properties.metadata;
  for (const c of out.composed) {
    const m = c.resource.metadata;
    expect(m.namespace === namespace, `${c.name} in namespace ${m.namespace}, not the XR's ${namespace}`);
    expect(m.labels?.['crossplane.io/composite'] === name, `${c.name} not labelled with its composite`);
    const owner = m.ownerReferences?.find((o) => o.controller === true);
    expect(owner?.kind === 'DataProduct' && owner?.name === name && owner?.apiVersion === 'meshifi.io/v1alpha1', `${c.name} not controlled by its DataProduct`);
    const f = forProvider(c);
    if (c.resource.kind === 'ServiceAccountIAMMember') {
      expect(f.serviceAccountId === `projects/${stack.gcp.project}/serviceAccounts/${spec(dp).serviceAccount.email}`, `${c.name} serviceAccountId ${String(f.serviceAccountId)}`);
    } else {
      expect(f.project === stack.gcp.project, `${c.name} project ${String(f.project)}`);
    }
    const policies = (c.resource.spec as { managementPolicies?: string[] }).managementPolicies;
    // Protected datasets and adopted datasets and accounts (they existed before meshform) are never deleted.
    const keep = ['Observe', 'Create', 'Update', 'LateInitialize'];
    if (c.resource.kind === 'Dataset') {
      expect(f.deleteContentsOnDestroy === false, `${c.name} deleteContentsOnDestroy ${String(f.deleteContentsOnDestroy)}`);
      const adopted = spec(dp).datasets.find((d) => d.datasetId === externalName(c))?.adopted === true;
      const want = stack.protect || adopted ? keep : undefined;
      expect(JSON.stringify(policies) === JSON.stringify(want), `${c.name} managementPolicies ${JSON.stringify(policies)} with protect ${stack.protect}, adopted ${adopted}`);
    } else if (c.resource.kind === 'ServiceAccount' && spec(dp).serviceAccount.adopted) {
      expect(JSON.stringify(policies) === JSON.stringify(keep), `${c.name} (adopted) managementPolicies ${JSON.stringify(policies)}`);
    } else {
      expect(policies === undefined, `${c.name} has managementPolicies ${JSON.stringify(policies)}`);
    }
  }
  expect(out.xr.metadata.name === name && out.xr.metadata.namespace === namespace, `XR came back as ${out.xr.metadata.namespace}/${out.xr.metadata.name}`);
  return problems;
}

function writeStream(file: string, objects: object[]): void {
  writeFileSync(file, objects.map((o) => `---\n${stringify(o)}`).join(''));
}

describeWithPeer('crossplane', 'Crossplane render with the real functions', (peer) => {
  const env = envWithPeer(peer);
  let composer: Composer;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'meshform-real-render-'));
    composer = await startComposer({ packageDir: PACKAGE_DIR, env, runtime: 'development' });
  }, 120_000);

  afterAll(async () => {
    await composer?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe.each(cases().map((c) => [c.title, c] as const))('%s', (title, c) => {
    let mesh: Mesh;
    let rendered: { dp: CrossplaneDataProduct; out: RenderedProduct }[];

    beforeAll(async () => {
      mesh = await c.mesh();
      rendered = [];
      // One product at a time keeps the shared machine's two cores for the functions and crank.
      for (const dp of dataProducts(mesh, c.stack)) rendered.push({ dp, out: await composer.render(dp) });
    }, 300_000);

    test('every product renders, with no warning from any function', () => {
      expect(rendered.length).toBe(mesh.products.length);
      const results = rendered.flatMap(({ out }) => out.results.filter((r) => r.severity !== 'SEVERITY_NORMAL').map((r) => `${out.product}: ${r.severity} ${r.step}: ${r.message}`));
      expect(results).toEqual([]);
    });

    test('the composed resources are exactly GCP mode\'s plan of the product', () => {
      const gcp = gcpPlanByProduct(mesh, c.stack);
      for (const { dp, out } of rendered) {
        const composed = out.composed.map((x) => JSON.stringify(asPlanResource(x))).sort();
        expect([dp.product, composed]).toEqual([dp.product, [...(gcp.get(dp.product) ?? [])].sort()]);
      }
    });

    test('each composed resource is in the XR\'s namespace and project, owned by it, protected as the stack says', () => {
      expect(rendered.flatMap(({ dp, out }) => checkComposed(dp, c.stack, out))).toEqual([]);
    });

    test('the XR and every composed resource validate against the XRD and the provider\'s CRDs (crank beta validate)', () => {
      const file = join(work, `${title.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
      writeStream(file, rendered.flatMap(({ out }) => [out.xr, ...out.composed.map((x) => x.resource)]));
      const v = crankValidate(env, [XRD, NAMESPACED_PROVIDER_CRDS], [file]);
      expect(v.problems).toEqual([]);
      const count = rendered.reduce((n, { out }) => n + 1 + out.composed.length, 0);
      expect(v.total).toBe(`Total ${count} resources: 0 missing schemas, ${count} success cases, 0 failure cases`);
      expect(v.code).toBe(0);
    });
  });

  describe('one product, hand-checked', () => {
    const orders = async () => {
      const { mesh } = await loadMesh([join(ROOT, 'specs')], { cwd: ROOT });
      const { stack } = loadStack('prod', { root: ROOT, env: {} });
      const s = { ...stack!, crossplane: { ...stack!.crossplane, enabled: true, namespace: 'data-products' } };
      return { dp: dataProducts(mesh!, s).find((d) => d.product === 'acme.retail.orders')!, stack: s };
    };

    test('acme.retail.orders under prod: the resources a reader of the spec expects', async () => {
      const { dp } = await orders();
      const out = await composer.render(dp);
      const summary = out.composed.map((c) => {
        const f = forProvider(c);
        switch (c.resource.kind) {
          case 'Dataset':
            return `${c.name}: Dataset ${f.project}.${externalName(c)} ${f.location}`;
          case 'ServiceAccount':
            return `${c.name}: ServiceAccount ${f.project}/${externalName(c)} "${f.displayName}"`;
          case 'DatasetIAMMember':
            return `${c.name}: DatasetIAMMember ${f.datasetId} ${f.role} ${f.member}`;
          default:
            return `${c.name}: ServiceAccountIAMMember ${f.serviceAccountId} ${f.role} ${f.member}`;
        }
      });
      // Written from specs/retail-orders.yaml and stacks/Pulumi.prod.yaml: three layers in EU; owners
      // alice and orders-team; its protected topic is granted to finance.billing and it has a public
      // topic, so billing's account and prod's publicReaders (domain:acme.com) read the curated layer.
      // Entry names: docs/crossplane.md, "Why two functions" (owner-/viewer- + the first 12 hex of sha256(member)).
      const sha = (member: string) => createHash('sha256').update(member).digest('hex').slice(0, 12);
      const sa = 'mf-acme-retail-orders@acme-data-prod.iam.gserviceaccount.com';
      const billing = 'serviceAccount:mf-acme-finance-billing@acme-data-prod.iam.gserviceaccount.com';
      expect(summary.sort()).toEqual(
        [
          'service-account: ServiceAccount acme-data-prod/mf-acme-retail-orders "meshform acme.retail.orders"',
          ...['raw', 'cleaned', 'curated'].flatMap((layer) => [
            `dataset-${layer}: Dataset acme-data-prod.acme_retail_orders_${layer} EU`,
            `dataset-${layer}-editor: DatasetIAMMember acme_retail_orders_${layer} ${ROLE_DATA_EDITOR} serviceAccount:${sa}`,
          ]),
          ...['domain:acme.com', billing].map(
            (m) => `dataset-curated-viewer-${sha(m)}: DatasetIAMMember acme_retail_orders_curated ${ROLE_DATA_VIEWER} ${m}`,
          ),
          ...['user:alice@acme.com', 'group:orders-team@acme.com'].map(
            (m) => `owner-${sha(m)}: ServiceAccountIAMMember projects/acme-data-prod/serviceAccounts/${sa} ${ROLE_TOKEN_CREATOR} ${m}`,
          ),
        ].sort(),
      );
    });

    test('readiness: the XR is Ready only when every composed resource is (function-auto-ready)', async () => {
      const { dp } = await orders();
      const first = await composer.render(dp);
      const ready = (o: KubeObject) => (o.status?.conditions as { type: string; status: string; message?: string }[] | undefined)?.find((x) => x.type === 'Ready');
      // Nothing exists yet: the XR is not ready and says why.
      expect(ready(first.xr)).toMatchObject({ status: 'False', reason: 'Creating' });
      const observe = (c: ComposedResource, i: number, isReady: boolean): KubeObject => ({
        ...c.resource,
        metadata: { ...c.resource.metadata, name: `${c.resource.metadata.generateName ?? 'x-'}${i}` },
        status: { conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False', reason: isReady ? 'Available' : 'Creating', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
      });
      const allReady = await composer.render(dp, first.composed.map((c, i) => observe(c, i, true)));
      expect(ready(allReady.xr)).toMatchObject({ status: 'True', reason: 'Available' });
      const oneNot = await composer.render(dp, first.composed.map((c, i) => observe(c, i, c.name !== 'dataset-raw')));
      expect(ready(oneNot.xr)).toMatchObject({ status: 'False', reason: 'Creating' });
      expect(String(ready(oneNot.xr)?.message)).toContain('dataset-raw');
      // Observed resources keep their names.
      expect(allReady.composed.map((c) => c.resource.metadata.name).sort()).toEqual(first.composed.map((_, i) => `${first.composed[i].resource.metadata.generateName ?? 'x-'}${i}`).sort());
    });

    test('an owner removed from the spec: its binding leaves the desired state, the others stay', async () => {
      const { dp } = await orders();
      const first = await composer.render(dp);
      const owners = spec(dp).owners;
      expect(owners.length).toBeGreaterThan(1);
      const fewer = structuredClone(dp);
      fewer.properties.spec.owners = owners.slice(1);
      const observed = first.composed.map((c, i) => ({ ...c.resource, metadata: { ...c.resource.metadata, name: `observed-${i}` } }));
      const second = await composer.render(fewer, observed);
      const members = (r: RenderedProduct) => r.composed.filter((c) => c.resource.kind === 'ServiceAccountIAMMember').map((c) => `${c.name} ${forProvider(c).member}`);
      const kept = members(first).filter((m) => !m.endsWith(` ${owners[0]}`));
      expect(members(second)).toEqual(kept);
      expect(second.composed.length).toBe(first.composed.length - 1);
    });
  });

  describe('adopted datasets and accounts (gcp.adopt)', () => {
    test('each managed resource carries the existing id as crossplane.io/external-name; the adopted ones have no Delete policy', async () => {
      const stack = edgeCases().find((c) => c.name.startsWith('adopted'))!.stack;
      const lines: string[] = [];
      for (const dp of dataProducts(adoptingMesh(), stack)) {
        for (const c of (await composer.render(dp)).composed) {
          if (c.resource.kind !== 'Dataset' && c.resource.kind !== 'ServiceAccount') continue;
          const policies = (c.resource.spec as { managementPolicies?: string[] }).managementPolicies;
          lines.push(`${dp.product} ${c.name}: ${c.resource.kind} ${externalName(c)} ${policies ? policies.join(',') : 'default policies'}`);
        }
      }
      // Written from adoptingMesh() (test/crossplane/support/composed.ts) and the test stack (environment test).
      const keep = 'Observe,Create,Update,LateInitialize';
      expect(lines.sort()).toEqual(
        [
          `acme.legacy.orders service-account: ServiceAccount orders-legacy ${keep}`,
          `acme.legacy.orders dataset-raw: Dataset legacy_orders_landing ${keep}`,
          'acme.legacy.orders dataset-cleaned: Dataset orders_silver default policies',
          `acme.legacy.orders dataset-curated: Dataset acme_legacy_orders_curated ${keep}`,
          `acme.legacy.billing service-account: ServiceAccount billing-test-sa ${keep}`,
          `acme.legacy.billing dataset-curated: Dataset acme_legacy_billing_curated ${keep}`,
        ].sort(),
      );
    });
  });

  describe('the Composition\'s own guards', () => {
    const billing = async () => {
      const { mesh } = await loadMesh([join(ROOT, 'specs')], { cwd: ROOT });
      const { stack } = loadStack('staging', { root: ROOT, env: {} });
      return dataProducts(mesh!, stack!).find((d) => d.product === 'acme.finance.billing')!;
    };

    test('a field the template reads that the DataProduct lacks fails the render (missingkey=error), not project: null', async () => {
      const pkg = join(work, 'misspelt-package');
      cpSync(PACKAGE_DIR, pkg, { recursive: true });
      const file = join(pkg, 'composition.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('project: {{ $spec.project | quote }}');
      writeFileSync(file, text.replace('project: {{ $spec.project | quote }}', 'project: {{ $spec.projet | quote }}'));
      const misspelt = await startComposer({ packageDir: pkg, env, runtime: 'development' });
      try {
        await expect(misspelt.render(await billing())).rejects.toThrow(/datasets-and-access.*map has no entry for key "projet"/s);
      } finally {
        await misspelt.close();
      }
    });

    test('composition resource names follow the member, not its position: reordering owners changes nothing', async () => {
      const dp = await billing();
      const reversed = structuredClone(dp);
      reversed.properties.spec.owners = [...spec(dp).owners].reverse();
      expect(spec(dp).owners.length).toBeGreaterThan(1);
      const byName = (r: RenderedProduct) => Object.fromEntries(r.composed.map((c) => [c.name, forProvider(c).member ?? externalName(c)]));
      expect(byName(await composer.render(reversed))).toEqual(byName(await composer.render(dp)));
    });
  });

  describe('the validators catch what they should', () => {
    test('crank beta validate rejects composed resources the provider would refuse', async () => {
      const { mesh } = await loadMesh([join(ROOT, 'specs')], { cwd: ROOT });
      const { stack } = loadStack('staging', { root: ROOT, env: {} });
      const out = await composer.render(dataProducts(mesh!, stack!)[0]);
      const dataset = structuredClone(out.composed.find((c) => c.resource.kind === 'Dataset')!.resource);
      (dataset.spec!.forProvider as Record<string, unknown>).locaton = 'EU';
      const member = structuredClone(out.composed.find((c) => c.resource.kind === 'DatasetIAMMember')!.resource);
      delete (member.spec!.forProvider as Record<string, unknown>).role;
      const account = structuredClone(out.composed.find((c) => c.resource.kind === 'ServiceAccount')!.resource);
      account.spec!.deletionPolicy = 'Orphan'; // cluster-scoped MRs have it; namespaced ones do not
      const file = join(work, 'broken.yaml');
      writeStream(file, [dataset, member, account]);
      const v = crankValidate(env, [XRD, NAMESPACED_PROVIDER_CRDS], [file]);
      expect(v.code).not.toBe(0);
      expect(v.problems.join('\n')).toMatch(/Dataset.*unknown field: "locaton"/);
      expect(v.problems.join('\n')).toMatch(/DatasetIAMMember.*spec\.forProvider\.role: Required value/);
      expect(v.problems.join('\n')).toMatch(/ServiceAccount.*unknown field: "deletionPolicy"/);
    });

    test('the XRD and the Composition validate against Crossplane\'s own CRDs; a broken one does not', () => {
      // Crossplane's CRDs for the XRD and the Composition; the functions' input CRDs for the pipeline steps' inputs.
      const crossplaneCrds = [join(env.MESHFORM_CROSSPLANE_CRDS!, 'crossplane'), join(env.MESHFORM_CROSSPLANE_CRDS!, 'functions')];
      const good = crankValidate(env, crossplaneCrds, [XRD, COMPOSITION]);
      expect(good.problems).toEqual([]);
      expect(good.total).toMatch(/^Total \d+ resources: 0 missing schemas, \d+ success cases, 0 failure cases$/);
      const [composition] = parseAllDocuments(readFileSync(COMPOSITION, 'utf8')).map((d) => d.toJS());
      const [xrd] = parseAllDocuments(readFileSync(XRD, 'utf8')).map((d) => d.toJS());
      composition.spec.mode = 'Pipelines';
      xrd.spec.scope = 'Galaxy';
      const file = join(work, 'broken-package.yaml');
      writeStream(file, [composition, xrd]);
      const bad = crankValidate(env, crossplaneCrds, [file]);
      expect(bad.problems.join('\n')).toMatch(/Composition.*spec\.mode/);
      expect(bad.problems.join('\n')).toMatch(/CompositeResourceDefinition.*spec\.scope/);
    });
  });

  describe('second opinion: the provider package the Go module proxy serves (v1.14.0, legacy cluster-scoped kinds)', () => {
    /** spec.forProvider of the storage version of each legacy kind, compiled by ajv. */
    const validators = () => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      const byKind = new Map<string, ReturnType<Ajv['compile']>>();
      for (const file of PROVIDER_CRD_FILES) {
        const crd = parseAllDocuments(readFileSync(join(env.MESHFORM_CROSSPLANE_CRDS!, 'provider-gcp', file), 'utf8'))[0].toJS();
        const version = crd.spec.versions.find((v: { storage: boolean }) => v.storage);
        byKind.set(crd.spec.names.kind, ajv.compile({ ...version.schema.openAPIV3Schema.properties.spec.properties.forProvider, additionalProperties: false }));
      }
      return byKind;
    };

    test('every composed forProvider of the example specs validates against the legacy kind\'s schema', async () => {
      const byKind = validators();
      expect([...byKind.keys()].sort()).toEqual(['Dataset', 'DatasetIAMMember', 'ServiceAccount', 'ServiceAccountIAMMember']);
      const { mesh } = await loadMesh([join(ROOT, 'specs')], { cwd: ROOT });
      const { stack } = loadStack('staging', { root: ROOT, env: {} });
      const problems: string[] = [];
      for (const dp of dataProducts(mesh!, stack!)) {
        for (const c of (await composer.render(dp)).composed) {
          const validate = byKind.get(c.resource.kind)!;
          if (!validate(forProvider(c))) problems.push(`${dp.product} ${c.name}: ${JSON.stringify(validate.errors)}`);
        }
      }
      expect(problems).toEqual([]);
      // The schema is not vacuous.
      expect(byKind.get('Dataset')!({ locaton: 'EU' })).toBe(false);
    });
  });
});
