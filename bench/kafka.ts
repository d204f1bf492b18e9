/**
 * Kafka reconcile at scale against the in-process test broker (SASL/PLAIN + authorizer):
 * 1,000 products / 10,000 topics with their ACLs, built as a Mesh in code (no spec files).
 * Prints wall time and requests by API, counted at the broker, for the first apply and the
 * no-op re-run, then the figures behind the Pulumi granularity choice (docs/pulumi.md, "Kafka under Pulumi").
 */
import { OwnershipScope, reconcileKafka, type KafkaConnection, type KafkaReport, plainLogin } from '../src/adapters/kafka';
import type { Mesh, Visibility } from '../src/vocabulary/mesh';
import { planMesh } from '../src/plan';
import type { Resource } from '../src/plan/types';
import { startTestBroker, type TestBroker } from '@meshform/kafka-test-broker';
import { mesh as meshOf, product, topic } from '../test/support/mesh';
import { mutationsIn } from '../test/support/mutating-apis';
import { stack as stackWith } from '../test/support/stack';

const PRODUCTS = 1000;
const TOPICS_PER_PRODUCT = 10;

/** One broker, so one replica; the rest as any test stack. */
const stack = stackWith({
  name: 'bench',
  environment: 'bench',
  gcp: { project: 'bench' },
  kafka: { defaultReplicas: 1, connection: { clientId: 'meshform-bench' } },
});

/** Product i: 4 public, 3 protected (granted to product i+1), 3 private topics. */
export function benchMeshModel(products = PRODUCTS, topicsPerProduct = TOPICS_PER_PRODUCT): Mesh {
  const ids = Array.from({ length: products }, (_, i) => `acme.domain${String(Math.floor(i / 50)).padStart(2, '0')}.product${String(i).padStart(4, '0')}`);
  return meshOf(
    ...ids.map((id, i) =>
      product(id, {
        owners: ['user:bench@acme.com'],
        topics: Array.from({ length: topicsPerProduct }, (_, t) => {
          const visibility: Visibility = t < 4 ? 'public' : t < 7 ? 'protected' : 'private';
          return topic(id, visibility, `events${t}`, {
            config: t % 2 === 0 ? { 'retention.ms': String(86400000 * (t + 1)) } : {},
            grants: visibility === 'protected' ? [ids[(i + 1) % ids.length]] : [],
          });
        }),
      }),
    ),
  );
}

interface Run {
  ms: number;
  report: KafkaReport;
  requests: Record<string, number>;
}

async function timed(broker: TestBroker, work: () => Promise<KafkaReport>): Promise<Run> {
  broker.resetStats();
  const t0 = process.hrtime.bigint();
  const report = await work();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, report, requests: broker.stats().requests };
}

function scopeOf(ids: string[]): OwnershipScope {
  return OwnershipScope.ofProducts(ids, stack.kafka.principalTemplate);
}

function line(label: string, run: Run): string {
  const total = Object.values(run.requests).reduce((a, b) => a + b, 0);
  const mutations = Object.values(mutationsIn(run.requests)).reduce((a, b) => a + b, 0);
  const byApi = Object.entries(run.requests).sort(([a], [b]) => (a < b ? -1 : 1)).map(([api, n]) => `${api} ${n}`).join(', ');
  const s = run.report.summary;
  return `  ${label.padEnd(22)} ${(run.ms / 1000).toFixed(2).padStart(7)} s  ${String(total).padStart(5)} requests (${mutations} mutating): ${byApi}\n` +
    `  ${''.padEnd(22)} ${s.create} created, ${s.update} updated, ${s.unchanged} unchanged, ${s.failed} failed, ${s.refused} refused`;
}

export async function benchKafka(): Promise<void> {
  const mesh = benchMeshModel();
  const plan = planMesh(mesh, stack);
  const kafka: Resource[] = plan.resources.filter((r) => r.kind === 'kafka:Topic' || r.kind === 'kafka:Acl');
  const ids = mesh.products.map((p) => p.id);
  const topics = kafka.filter((r) => r.kind === 'kafka:Topic').length;
  console.log(`Kafka reconcile: ${ids.length} products, ${topics} topics, ${kafka.length - topics} ACLs (in-process test broker, SASL/PLAIN, authorizer)`);

  const broker = await startTestBroker({ brokers: 1, saslUsers: { admin: 'bench-secret' }, superUsers: ['User:admin'], authorizer: true });
  const connection: KafkaConnection = { brokers: [broker.bootstrap], clientId: 'meshform-bench', tls: false, sasl: plainLogin({ username: 'admin', password: 'bench-secret' }) };
  try {
    const request = (mode: 'plan' | 'apply') => ({ resources: kafka, scope: scopeOf(ids), permissions: { allowDelete: false, allowDeletePrivate: false }, mode });
    const first = await timed(broker, () => reconcileKafka(connection, request('apply')));
    console.log(line('first apply', first));
    const noop = await timed(broker, () => reconcileKafka(connection, request('apply')));
    console.log(line('no-op re-run', noop));
    const handshake = (noop.requests.ApiVersions ?? 0) + (noop.requests.SaslHandshake ?? 0) + (noop.requests.SaslAuthenticate ?? 0);
    const total = Object.values(noop.requests).reduce((a, b) => a + b, 0);
    console.log(`  no-op re-run: ${total - handshake} state reads + ${handshake} connection handshake (ApiVersions, SaslHandshake, SaslAuthenticate); target <= 5 requests, 0 mutating`);

    // Pulumi granularity: the cost of one resource's no-op refresh on this 10,000-topic cluster.
    const sample = ids.slice(0, 20);
    const perProduct = await timed(broker, async () => {
      let last: KafkaReport | undefined;
      for (const id of sample) last = await reconcileKafka(connection, { ...request('apply'), resources: kafka.filter((r) => r.product === id), scope: scopeOf([id]) });
      return last!;
    });
    console.log(line(`per product (x${sample.length})`, perProduct) + ' (last run)');
    const sampleTopics = kafka.filter((r) => r.kind === 'kafka:Topic' && r.product === sample[0]);
    const perTopic = await timed(broker, async () => {
      let last: KafkaReport | undefined;
      for (const t of sampleTopics) {
        const name = t.kind === 'kafka:Topic' ? t.properties.topic : '';
        const own = kafka.filter((r) => r === t || (r.kind === 'kafka:Acl' && r.properties.resourceName === name));
        last = await reconcileKafka(connection, { ...request('apply'), resources: own, scope: new OwnershipScope([]) });
      }
      return last!;
    });
    console.log(line(`per topic (x${sampleTopics.length})`, perTopic) + ' (last run)');
    const perProductMs = perProduct.ms / sample.length;
    const perTopicMs = perTopic.ms / sampleTopics.length;
    console.log(
      `  Pulumi no-op refresh of all ${ids.length} products, projected: per product ${((perProductMs * ids.length) / 1000).toFixed(0)} s, ` +
        `per topic ${((perTopicMs * topics) / 1000).toFixed(0)} s (each resource reads the cluster once)`,
    );
  } finally {
    await broker.stop();
  }

  // The same no-op re-run on a cluster without SASL (authorizer on, the anonymous principal a super user).
  const plain = await startTestBroker({ brokers: 1, superUsers: ['User:ANONYMOUS'], authorizer: true });
  try {
    const anonymous: KafkaConnection = { brokers: [plain.bootstrap], clientId: 'meshform-bench', tls: false };
    const request = { resources: kafka, scope: scopeOf(ids), permissions: { allowDelete: false, allowDeletePrivate: false }, mode: 'apply' as const };
    await reconcileKafka(anonymous, request);
    console.log(line('no-op re-run, no SASL', await timed(plain, () => reconcileKafka(anonymous, request))));
  } finally {
    await plain.stop();
  }
}
