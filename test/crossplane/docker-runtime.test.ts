/**
 * crank render's two function runtimes render the same resources: the Development runtime (the
 * functions as local programs, the crossplane peer) and the Docker runtime (crank starts the
 * functions' images, built here by the containers peer, never pulled). Every DataProduct of the
 * example specs under every example stack (Crossplane mode forced) is rendered by both; the Docker
 * runtime's containers are gone afterwards, as `docker ps` (not meshform) sees it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startComposer, type Composer, type RenderedProduct } from '../../src/adapters/crossplane/compose';
import { PACKAGE_DIR } from '../../src/cli/crossplane';
import { loadMesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import type { CrossplaneDataProduct } from '../../src/plan/types';
import { listStacks, loadStack } from '../../src/stack/load';
import { containersBackend, envWithContainers } from '@meshform/peers/testing/containers';
import { describeWithPeer, envWithPeer } from '@meshform/peers/testing/peers';

const ROOT = join(__dirname, '..', '..');
const [, noContainers] = containersBackend('crank render in the Docker runtime');

async function exampleDataProducts(): Promise<CrossplaneDataProduct[]> {
  const { mesh } = await loadMesh([join(ROOT, 'specs')], { cwd: ROOT });
  if (!mesh) throw new Error('the example specs do not load');
  return listStacks(ROOT).flatMap((name) => {
    const { stack } = loadStack(name, { root: ROOT, env: {} });
    if (!stack) throw new Error(`example stack ${name} does not load`);
    const plan = planMesh(mesh, { ...stack, crossplane: { ...stack.crossplane, enabled: true } });
    return plan.resources.filter((r): r is CrossplaneDataProduct => r.kind === 'crossplane:DataProduct');
  });
}

async function renderAll(composer: Composer, dataProducts: CrossplaneDataProduct[]): Promise<RenderedProduct[]> {
  try {
    return await Promise.all(dataProducts.map((dp) => composer.render(dp)));
  } finally {
    await composer.close();
  }
}

/** Containers whose name this process's composers give them, as the Docker CLI lists them. */
function crankContainers(): string[] {
  const res = spawnSync('docker', ['ps', '-a', '--filter', `name=meshform-crank-${process.pid}-`, '--format', '{{.Names}}'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`docker ps failed: ${res.stderr}`);
  return res.stdout.split('\n').filter(Boolean);
}

describeWithPeer('crossplane', 'crank render: Docker runtime against Development runtime', (peer) => {
  (noContainers ? it.skip : it)(`every example DataProduct composes to the same resources in both runtimes${noContainers ? `: skipped: ${noContainers}` : ''}`, async () => {
    const env = envWithPeer(peer, envWithContainers());
    const dataProducts = await exampleDataProducts();
    const development = await renderAll(await startComposer({ packageDir: PACKAGE_DIR, env, runtime: 'development' }), dataProducts);
    const dockerComposer = await startComposer({ packageDir: PACKAGE_DIR, env, runtime: 'docker' });
    expect(dockerComposer.runtime).toBe('docker');
    const docker = await renderAll(dockerComposer, dataProducts);
    expect(development.length).toBe(dataProducts.length);
    expect(development.every((r) => r.composed.length > 0)).toBe(true);
    expect(docker).toEqual(development);
    expect(crankContainers()).toEqual([]);
  }, 300_000);

  (noContainers ? it.skip : it)(`the Docker runtime runs the images it is given and never pulls them${noContainers ? `: skipped: ${noContainers}` : ''}`, async () => {
    const env = envWithPeer(peer, envWithContainers());
    const [dataProduct] = await exampleDataProducts();
    const images = new Map([
      ['function-patch-and-transform', 'meshform.local/no-such-function:0'],
      ['function-go-templating', 'meshform.local/no-such-function:0'],
      ['function-auto-ready', 'meshform.local/no-such-function:0'],
    ]);
    const composer = await startComposer({ packageDir: PACKAGE_DIR, env, runtime: 'docker', functionImages: images, timeoutSeconds: 30 });
    await expect(renderAll(composer, [dataProduct])).rejects.toThrow(/crank render failed for \S+ \(exit 1\): .*No such image: meshform\.local\/no-such-function:0/s);
    expect(crankContainers()).toEqual([]);
  }, 120_000);
});
