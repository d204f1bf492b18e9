/**
 * Local verification on containers, next to the JVM peer and the in-process broker, run the way a
 * product repo runs it:
 *  1. start to ready: a Kafka container (the containers peer's image, through testcontainers) until
 *     it logs that it serves; the kafka peer's JVM until it serves; the in-process test broker.
 *     Target: Kafka container ready <= 10 s.
 *  2. a product repo's whole test on each backend: startMeshKafka on examples/product-repo (start,
 *     apply, wait until served), produce as acme.retail.returns, consume as acme.finance.payments
 *     (granted), stop. Target <= 20 s on containers.
 * Needs the containers peer (and the kafka peer for the JVM column); a column whose peer is missing
 * is printed as skipped with the reason. The machine's load average is printed with the figures:
 * on a shared 2-core machine it moves them more than anything measured here.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { startKafkaCluster } from '@meshform/peers/src/kafka-cluster';
import { peerStatus } from '@meshform/peers/src/status';
import { realKafkaStarter } from '@meshform/peers/testing/real-kafka';
import { startMeshKafka, type MeshKafkaBackend } from '../src/testing';
import { startKafkaContainer } from '../src/testing/containers';

const RUNS = Number(process.env.MESHFORM_BENCH_CONTAINER_RUNS ?? 3);
const EXAMPLE = join(__dirname, '..', 'examples', 'product-repo');
const TOPIC = 'acme.retail.returns._protected.return_received';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  await work();
  return Date.now() - t0;
}

async function startToReady(): Promise<void> {
  const containers = peerStatus('containers');
  const kafka = peerStatus('kafka');
  const users = { admin: 'bench-secret' };
  const rows: Array<[string, number[] | string]> = [];
  if (containers.home) {
    const image = containers.env!.vars!.MESHFORM_KAFKA_IMAGE;
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let stop: () => Promise<void> = async () => undefined;
      runs.push(await timed(async () => ({ stop } = await startKafkaContainer({ image, users, superUsers: ['User:admin'] }))));
      await stop();
    }
    rows.push([`Kafka container (${image})`, runs]);
  } else rows.push(['Kafka container', `skipped: ${containers.missing}`]);
  if (kafka.home) {
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let stop: () => Promise<void> = async () => undefined;
      runs.push(await timed(async () => ({ stop } = await startKafkaCluster(kafka.home!, { saslUsers: users, superUsers: ['User:admin'] }))));
      await stop();
    }
    rows.push(['JVM peer (kafka peer)', runs]);
  } else rows.push(['JVM peer', `skipped: ${kafka.missing}`]);
  const inProcess: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let stop: () => Promise<void> = async () => undefined;
    inProcess.push(await timed(async () => ({ stop } = await startTestBroker({ brokers: 1, saslUsers: users, superUsers: ['User:admin'], authorizer: true }))));
    await stop();
  }
  rows.push(['in-process test broker', inProcess]);
  console.log(`\nstart to ready (median of ${RUNS}; load average ${load()}):`);
  for (const [what, runs] of rows) {
    console.log(`  ${what.padEnd(48)} ${typeof runs === 'string' ? runs : `${seconds(median(runs))}  (${runs.map(seconds).join(', ')})`}`);
  }
}

/** The example product repo's test: start + apply, produce as returns, consume as payments (granted), stop. */
async function productTest(backend: MeshKafkaBackend): Promise<{ total: number; start: number }> {
  const t0 = Date.now();
  const mesh = await startMeshKafka({ specs: [join(EXAMPLE, 'specs'), join(EXAMPLE, 'mesh')], backend, realKafka: realKafkaStarter, log: () => undefined });
  const start = Date.now() - t0;
  try {
    const as = (product: string) =>
      new Kafka({ brokers: [mesh.bootstrap], clientId: `${product}-bench`, logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...mesh.credentials[`User:${product}`] } });
    const producer = as('acme.retail.returns').producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: [{ key: 'r-1', value: JSON.stringify({ returnId: 'r-1', orderId: 'o-9' }) }] });
    await producer.disconnect();
    const consumer = as('acme.finance.payments').consumer({ groupId: 'acme.finance.payments.bench' });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nothing received in 30 s')), 30_000);
      void consumer.run({ eachMessage: async () => { clearTimeout(timer); resolve(); } });
    });
    await consumer.disconnect();
  } finally {
    await mesh.stop();
  }
  return { total: Date.now() - t0, start };
}

async function productTests(): Promise<void> {
  const columns: Array<[MeshKafkaBackend, string | undefined]> = [
    ['testcontainers', peerStatus('containers').missing],
    ['real', peerStatus('kafka').missing],
    ['in-process', undefined],
  ];
  const containers = peerStatus('containers');
  if (containers.home) Object.assign(process.env, containers.env?.vars ?? {});
  console.log(`\na product repo's whole test (examples/product-repo: start, apply, produce, consume as two principals, stop; load average ${load()}):`);
  for (const [backend, missing] of columns) {
    if (missing) {
      console.log(`  ${backend.padEnd(16)} skipped: ${missing}`);
      continue;
    }
    const runs: Array<{ total: number; start: number }> = [];
    for (let i = 0; i < RUNS; i++) runs.push(await productTest(backend));
    const totals = runs.map((r) => r.total);
    console.log(`  ${backend.padEnd(16)} ${seconds(median(totals))}  (runs ${totals.map(seconds).join(', ')}; of which start + apply + ready ${runs.map((r) => seconds(r.start)).join(', ')})`);
  }
  console.log('  targets: Kafka container ready <= 10 s; product test on containers <= 20 s');
}

export async function benchContainers(): Promise<void> {
  await startToReady();
  await productTests();
}
