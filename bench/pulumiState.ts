/**
 * State per product of a first `pulumi up` with the real engine (the `pulumi` peer), checkpoints
 * on: MESHFORM_BENCH_PRODUCTS generated products (default 20, 10 channels each) on the in-process
 * test broker, in two stacks of the same products, each with its own broker:
 *  - `dev`, Crossplane via Pulumi (`meshform:crossplane: true`: the DataProduct object at the
 *    recording kubernetes double, which answers as the real provider does);
 *  - `gitops`, Crossplane by GitOps (`meshform:crossplane: gitops`: no DataProduct in the state).
 * Prints for each the file backend's bytes per product (what every checkpoint rewrites), the
 * export's, and compact JSON bytes per resource of each type; then a no-op `pulumi up --refresh`
 * (`--expect-no-changes`) of each. A quick measure while working; `bench/pulumi.ts` prints the
 * same lines for its 100-product stacks (the GitOps figure there computed from the same state).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { peerStatus } from '@meshform/peers/src/status';
import { engine, startDouble } from '../test/pulumi/support/engine';
import { packedMeshform, workingFolder } from '../test/support/packed';
import { generateMesh } from './generate';
import { baseConfig, initStack, project, startBroker, stateByType, stateLine, stateOf } from './pulumi';

const PRODUCTS = Number(process.env.MESHFORM_BENCH_PRODUCTS ?? 20);

export async function benchPulumiState(): Promise<void> {
  console.log(`== state per product: first pulumi up of ${PRODUCTS} products in one stack, real engine, checkpoints on ==`);
  const peer = peerStatus('pulumi');
  if (!peer.home) {
    console.log(`  skipped: ${peer.missing}`);
    return;
  }
  const install = await packedMeshform();
  const work = workingFolder(install, 'meshform-bench-state-');
  generateMesh(path.join(work, 'specs'), PRODUCTS, 10, { domains: 2 });
  const kubernetes = await startDouble('kubernetes', process.env);
  try {
    project(work);
    const run = engine(peer, { kubernetes: kubernetes.port });
    for (const [stack, crossplane, title] of [
      ['dev', true, 'Crossplane via Pulumi (meshform:crossplane: true)'],
      ['gitops', 'gitops', 'Crossplane by GitOps (meshform:crossplane: gitops; DataProducts by meshform crossplane render)'],
    ] as const) {
      // Each stack on a broker of its own: both are a first up of the same products.
      const broker = await startBroker();
      try {
        console.log(`  -- stack ${stack}: ${title}`);
        initStack(run, work, stack, { ...baseConfig(broker.bootstrap), 'meshform:crossplane': crossplane });
        const t0 = Date.now();
        await run.pulumiAsync(['up', '--yes', '--skip-preview', '-s', stack], work);
        console.log(`  first up: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        const state = stateOf(run, work, stack);
        console.log(`  state per product: ${stateLine(state)}`);
        for (const l of stateByType(state)) console.log(l);
        const r0 = Date.now();
        await run.pulumiAsync(['up', '--refresh', '--yes', '--skip-preview', '--expect-no-changes', '-s', stack], work);
        console.log(`  no-op pulumi up --refresh: ${((Date.now() - r0) / 1000).toFixed(1)} s, no changes`);
        if (process.env.MESHFORM_BENCH_KEEP) fs.writeFileSync(path.join(work, `exported-${stack}.json`), run.pulumi(['stack', 'export', '-s', stack], work).stdout);
      } finally {
        await broker.stop();
      }
    }
  } finally {
    await kubernetes.stop();
    if (process.env.MESHFORM_BENCH_KEEP) console.log(`  kept: ${work} (MESHFORM_BENCH_KEEP)`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}
