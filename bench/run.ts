/**
 * `npm run bench`: figures for the targets in the issues.
 *  1. validate + plan 1,000 generated specs of 10 channels (target <= 5 s, <= 500 MB peak RSS),
 *     against @asyncapi/parser's default parse on a sample of the same specs (target >= 50x).
 *  2. Kafka reconcile of 1,000 products / 10,000 topics against the in-process test broker.
 *  3. Kafka reconcile on real Apache Kafka (the kafka peer; skipped with the reason without it):
 *     >= 2,000 topics, first apply and no-op re-run, against the per-topic kafkajs baseline (target >= 20x).
 *  4. `meshform catalog` of the example specs and of 100 / 1,000 generated products.
 *  5. The Pulumi program under mocks, 1,000 products in GCP mode (bench/program.ts).
 *  6. Kafka in `pulumi up` with the real engine vs `meshform kafka apply` (bench/pulumi.ts).
 *  7. Installing meshform from its packed tarballs, as a product and as a mesh repository (bench/install.ts).
 *  8. The reader on a 10 MB spec of 160,000 keys and on hostile files (bench/reader.ts).
 *  9. Local verification: container start to ready and a product repo's whole test on containers, the JVM
 *     peer and the in-process broker (bench/containers.ts).
 * Each part runs in its own process so peak RSS belongs to the part measured.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['mesh', 'reader', 'kafka', 'realKafka', 'catalog', 'program', 'pulumi', 'install', 'containers'];
let failed = false;
for (const part of parts) {
  const script = join(__dirname, `${part}.ts`);
  const res = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'part.ts'), script], {
    stdio: 'inherit',
  });
  if (res.status !== 0) {
    console.error(`bench: part '${part}' failed (exit ${res.status})`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
