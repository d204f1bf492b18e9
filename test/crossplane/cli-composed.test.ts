/**
 * `meshform crossplane render --composed`: the resources Crossplane composes, by `crank render` with
 * the real functions. Without the programs on PATH it says what to install (exit 2); with the
 * crossplane peer installed it prints them for every DataProduct of the stack.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main';
import { loadMesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import { loadStack } from '../../src/stack/load';
import { runRecorded } from '../support/io';
import { describeWithPeer, envWithPeer } from '@meshform/peers/testing/peers';
import { composedResources, EXAMPLE_PRODUCTS, STACK_FACTS, type Composed } from '../support/example-products';
import { containersBackend } from '@meshform/peers/testing/containers';
import type { FunctionRuntime } from '../../src/adapters/crossplane/compose';
import { withEnv } from '../support/env';

/** The crossplane verbs as the command line has them. */
const run = (argv: string[], io: Parameters<typeof main>[1]) => main(['crossplane', ...argv], io);

const ROOT = path.join(__dirname, '..', '..');

/** `meshform crossplane <argv>` with process.env.PATH set to `pathValue` (the CLI looks crank and the functions up there). */
async function crossplane(argv: string[], pathValue = process.env.PATH ?? '') {
  const saved = process.env.PATH;
  process.env.PATH = pathValue;
  try {
    return await runRecorded((io) => run(argv, io));
  } finally {
    process.env.PATH = saved;
  }
}

/** GCP mode's resource count for the staging stack: what the Composition must compose. */
async function gcpResourceCount(): Promise<number> {
  const { mesh } = await loadMesh([path.join(ROOT, 'specs')], { cwd: ROOT });
  const { stack } = loadStack('staging', { root: ROOT, env: {} });
  const plan = planMesh(mesh!, { ...stack!, crossplane: { ...stack!.crossplane, enabled: false } });
  return plan.resources.filter((r) => r.kind.startsWith('gcp:')).length;
}

describe('meshform crossplane render --composed, without the programs', () => {
  test('exit 2 naming what is missing and how to install it; nothing on stdout', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-empty-path-'));
    const r = await crossplane(['render', '--stack', 'staging', '--composed', '--function-runtime', 'development'], empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not on PATH: crank, function-patch-and-transform, function-go-templating, function-auto-ready');
    expect(r.stderr).toContain('npm run -s peers -- install crossplane');
    expect(r.stdout).toBe('');
    // In Docker the functions are images: only crank must be on PATH.
    const docker = await crossplane(['render', '--stack', 'staging', '--composed', '--function-runtime', 'docker'], empty);
    expect([docker.code, docker.stdout]).toEqual([2, '']);
    expect(docker.stderr).toContain('not on PATH: crank (install them with: npm run -s peers -- install crossplane');
  });

  test('--function-runtime docker with no engine answering: exit 2 naming the socket', async () => {
    await withEnv({ DOCKER_HOST: 'unix:///nonexistent/meshform-test/docker.sock' }, async () => {
      const r = await crossplane(['render', '--stack', 'staging', '--composed', '--function-runtime', 'docker']);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toContain('meshform crossplane: --function-runtime docker: no Docker engine: /nonexistent/meshform-test/docker.sock does not exist');
    });
  });

  test.each([
    [['--composed', '--out', 'x'], "option '--composed' cannot be used with option '-o, --out <path>'"],
    [['--json'], '--json, --package and --function-runtime go with --composed'],
    [['--package', 'crossplane'], '--json, --package and --function-runtime go with --composed'],
    [['--function-runtime', 'docker'], '--json, --package and --function-runtime go with --composed'],
    [['--composed', '--function-runtime', 'podman'], "option '--function-runtime <runtime>' argument 'podman' is invalid. Allowed choices are docker, development."],
  ])('usage mistake %j: exit 2 with one line, nothing on stdout', async (argv, message) => {
    const r = await crossplane(['render', '--stack', 'staging', ...argv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  test('a GCP-mode stack is refused before anything starts', async () => {
    const r = await crossplane(['render', '--stack', 'dev', '--composed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stack 'dev' is in GCP mode");
  });
});

// Docker: the functions' images built by the containers peer (MESHFORM_CROSSPLANE_FUNCTION_IMAGES).
const runtimes: [FunctionRuntime, string | undefined][] = [['development', undefined], ['docker', containersBackend('crossplane render in the Docker runtime')[1]]];

describeWithPeer('crossplane', 'meshform crossplane render --composed, with the crossplane peer', (peer) => {
  const env = envWithPeer(peer);

  for (const [runtime, skip] of runtimes) {
    (skip ? test.skip : test)(`prints every composed resource of the staging stack as YAML, one comment per resource naming its product (${runtime} runtime)${skip ? `: skipped: ${skip}` : ''}`, async () => {
      const r = await crossplane(['render', '--stack', 'staging', '--composed', '--function-runtime', runtime], env.PATH);
      expect(r.code).toBe(0);
      const text = r.stdout;
      const docs = parseAllDocuments(text).map((d) => d.toJS());
      expect(docs.length).toBe(await gcpResourceCount());
      expect(new Set(docs.map((d) => d.metadata.namespace))).toEqual(new Set(['data-products']));
      expect(text).toMatch(/^# acme\.retail\.orders: service-account$/m);
      expect(r.stderr).toMatch(/composed \d+ resource\(s\) from \d+ DataProduct\(s\) with crank render/);
      expect(r.stderr.split('\n')[0]).toBe(`crank render: functions in the ${runtime === 'docker' ? 'Docker' : 'Development (local programs)'} runtime (--function-runtime)`);
    }, 180_000);
  }

  test('--json: products, their objects and composed resources', async () => {
    const r = await crossplane(['render', 'specs', '--stack', 'staging', '--composed', '--json', '--function-runtime', 'development'], env.PATH);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { product: string; namespace: string; name: string; composed: { name: string; resource: { kind: string } }[]; results: unknown[] }[];
    const { mesh } = await loadMesh([path.join(ROOT, 'specs')], { cwd: ROOT });
    expect(out.map((p) => p.product)).toEqual(mesh!.products.map((p) => p.id));
    expect(out.reduce((n, p) => n + p.composed.length, 0)).toBe(await gcpResourceCount());
    for (const p of out) {
      expect(p.namespace).toBe('data-products');
      expect(p.results).toEqual([]);
      expect(p.composed.filter((c) => c.resource.kind === 'ServiceAccount').map((c) => c.name)).toEqual(['service-account']);
    }
  });

  test('three example products compose exactly the resources written by hand', async () => {
    const r = await crossplane(['render', 'specs', '--stack', 'staging', '--composed', '--json'], env.PATH);
    expect(r.code).toBe(0);
    type Resource = { apiVersion: string; kind: string; metadata: { annotations?: Record<string, string> }; spec: { forProvider: Record<string, unknown>; managementPolicies?: string[] } };
    const out = JSON.parse(r.stdout) as { product: string; composed: { name: string; resource: Resource }[] }[];
    for (const product of EXAMPLE_PRODUCTS) {
      const composed = out.find((p) => p.product === product)!.composed.map(({ name, resource }): Composed => {
        const externalName = resource.metadata.annotations?.['crossplane.io/external-name'];
        return {
          name,
          apiVersion: resource.apiVersion,
          kind: resource.kind,
          ...(externalName !== undefined && { externalName }),
          ...(resource.spec.managementPolicies && { managementPolicies: resource.spec.managementPolicies }),
          forProvider: resource.spec.forProvider,
        };
      });
      expect([product, [...composed].sort((a, b) => (a.name < b.name ? -1 : 1))]).toEqual([product, composedResources(product, STACK_FACTS.staging)]);
    }
  });

  test('a package whose Composition names a function the Configuration does not depend on: exit 2', async () => {
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-bad-package-'));
    fs.cpSync(path.join(ROOT, 'crossplane'), pkg, { recursive: true });
    const file = path.join(pkg, 'composition.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('crossplane-contrib-function-auto-ready', 'crossplane-contrib-function-auto-readyy'));
    const r = await crossplane(['render', '--stack', 'staging', '--composed', '--package', pkg, '--function-runtime', 'development'], env.PATH);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("uses function 'crossplane-contrib-function-auto-readyy', which crossplane.yaml does not depend on");
  });
});
