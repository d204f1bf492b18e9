/**
 * The Pulumi program under Pulumi's mocks for 1,000 generated products in GCP mode (stack dev
 * settings, Kafka resources included), run in a fresh `node` on the compiled package (dist/, no
 * tsx) as `pulumi up` runs it. Wall time from program start until every registration is answered,
 * and the process's peak RSS. Targets (issue 9): <= 30 s, <= 1 GB; before: 80-100 s, 2-2.9 GB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMesh } from './generate';

const PRODUCTS = 1000;
const CHANNELS = 10;
const ROOT = join(__dirname, '..');

/** Runs in the child: mocks, the program, then waits until the mock monitor has answered everything. */
const CHILD = `
const pulumi = require('@pulumi/pulumi');
let registered = 0;
pulumi.runtime.setMocks({
  newResource: (a) => {
    registered++;
    const state = { ...a.inputs };
    if (a.type === 'gcp:serviceaccount/account:Account') {
      state.email = a.inputs.accountId + '@' + a.inputs.project + '.iam.gserviceaccount.com';
      state.name = 'projects/' + a.inputs.project + '/serviceAccounts/' + state.email;
      state.member = 'serviceAccount:' + state.email;
    }
    return { id: a.name + '-id', state };
  },
  call: (a) => a.inputs,
}, 'meshform', 'dev', false).then(async () => {
  const config = JSON.parse(process.env.BENCH_CONFIG);
  const started = process.hrtime.bigint();
  const { meshformProgram } = require('meshform/pulumi');
  const outputs = await meshformProgram({ stackName: 'dev', config, root: process.env.BENCH_ROOT });
  await require('@pulumi/pulumi/runtime/settings').waitForRPCs();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, registered, products: Object.keys(outputs.products).length, peakKb: process.resourceUsage().maxRSS }));
});
`;

export async function benchProgram(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meshform-bench-program-'));
  try {
    generateMesh(join(dir, 'specs'), PRODUCTS, CHANNELS);
    const config = {
      'meshform:gcpProject': 'acme-data-dev',
      'meshform:location': 'EU',
      'meshform:replicasCap': '1',
      'meshform:partitionFactor': '0.25',
      'meshform:kafkaBootstrap': '127.0.0.1:9092',
      'meshform:allowDelete': 'true',
    };
    const wallStart = Date.now();
    const res = spawnSync(process.execPath, ['-e', CHILD], {
      cwd: ROOT,
      env: { ...process.env, BENCH_CONFIG: JSON.stringify(config), BENCH_ROOT: dir },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = Date.now() - wallStart;
    if (res.status !== 0) throw new Error(`bench: the program failed (exit ${res.status}):\n${res.stderr.slice(-4000)}`);
    const out = JSON.parse(res.stdout) as { ms: number; registered: number; products: number; peakKb: number };
    console.log('== Pulumi program under mocks (GCP mode, compiled package, plain node) ==');
    console.log(`products:              ${out.products} (${CHANNELS} channels each), ${out.registered} resources registered`);
    console.log(`program:               ${(out.ms / 1000).toFixed(1)} s (specs, plan, registrations answered)`);
    console.log(`process wall time:     ${(wallMs / 1000).toFixed(1)} s (with node and module start-up)`);
    console.log(`peak RSS:              ${(out.peakKb / 1024).toFixed(0)} MB`);
    console.log(`targets:               <= 30 s wall, <= 1 GB peak RSS (before this work: 80-100 s, 2-2.9 GB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
