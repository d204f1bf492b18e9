/**
 * A Kafka resource as main wrote it at 5ccb533 (names in full, the settings and the topics it
 * receives from in the outputs too, the 453-byte provider shell) keeps working with today's
 * provider, which writes names relative to the product: refresh finds it unchanged, its inputs
 * diff as no change, and destroy deletes what it made.
 *
 * The fixture test/pulumi/fixtures/state-5ccb533/kafka-product.json is one resource of
 * `pulumi stack export` after a first `pulumi up` of the bench's generated mesh at 5ccb533
 * (bench/pulumiState.ts, MESHFORM_BENCH_KEEP=1): bench.domain0.product14, 10 topics, 14 ACL
 * patterns. The cluster is set up from the fixture's recorded inputs with kafkajs's admin API,
 * read by hand here (not with kafka-state.ts), and checked with it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateMesh } from '../../bench/generate';
import { loadMesh } from '../../src/model';
import { consumersByTopic, planMesh } from '../../src/plan';
import { stackFromPulumiConfig } from '../../src/stack/load';
import { kafkaInputs } from '../../src/adapters/pulumi/kafka';
import { provider, closeSessions, type KafkaProductOutputs, type StoredKafkaInputs } from '../../src/adapters/pulumi/kafka-provider';
import type { TestBroker } from '@meshform/kafka-test-broker';
import { aclToKafkajs, type NamedAcl } from '@meshform/peers/testing/clients/acl-names';
import { adminConnection, providerConfig, startAdminBroker } from './broker';
import { observe, withAdmin } from './oracle';

interface Fixture {
  id: string;
  inputs: { product: string; topics: Record<string, string>; acls: Record<string, Record<string, string>> } & Record<string, unknown>;
  outputs: Record<string, unknown>;
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'pulumi', 'fixtures', 'state-5ccb533', 'kafka-product.json'), 'utf8')) as Fixture;
const product = fixture.inputs.product;

/** `partitions=3 replicas=1 retention.ms=1000` -> its parts (no value in this fixture is escaped). */
function topicOf(text: string): { partitions: number; replicas: number; config: Record<string, string> } {
  const fields = Object.fromEntries(text.split(' ').map((f) => f.split('=') as [string, string]));
  const { partitions, replicas, ...config } = fields;
  return { partitions: Number(partitions), replicas: Number(replicas), config };
}

/** `TOPIC:LITERAL:<name>` -> principal -> `ALLOW DESCRIBE,READ` (one grant each, any host, in this fixture) as bindings. */
function bindingsOf(acls: Fixture['inputs']['acls']): NamedAcl[] {
  return Object.entries(acls).flatMap(([pattern, byPrincipal]) => {
    const [resourceType, patternType, ...name] = pattern.split(':');
    return Object.entries(byPrincipal).flatMap(([principal, grant]) => {
      const [permission, operations] = grant.split(' ');
      return operations.split(',').map((operation): NamedAcl => ({ principal, host: '*', operation, permission, resourceType, name: name.join(':'), pattern: patternType }));
    });
  });
}

const key = (a: NamedAcl) => `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.pattern}:${a.name}`;

let broker: TestBroker;

beforeEach(async () => {
  ({ broker } = await startAdminBroker());
  await provider.configure(providerConfig(broker.bootstrap, { 'meshform:allowDelete': 'true' }));
  // What the old release made, made here by kafkajs from the fixture's recorded inputs.
  await withAdmin(adminConnection(broker.bootstrap), async (admin) => {
    await admin.createTopics({
      topics: Object.entries(fixture.inputs.topics).map(([topic, text]) => {
        const t = topicOf(text);
        return { topic, numPartitions: t.partitions, replicationFactor: t.replicas, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) };
      }),
    });
    await admin.createAcls({ acl: bindingsOf(fixture.inputs.acls).map(aclToKafkajs) });
  });
});

afterEach(async () => {
  await closeSessions();
  await broker.stop();
});

describe("a Kafka resource written by main at 5ccb533, with today's provider", () => {
  it('the fixture is the old shape: names in full, no relative marker, the topics it receives from in the outputs', () => {
    expect(Object.keys(fixture.inputs.topics).every((t) => t.startsWith(`${product}.`))).toBe(true);
    expect(fixture.inputs.relative).toBeUndefined();
    expect(fixture.outputs.consumes).toEqual(['bench.domain1.product13._public.events_0']);
    expect((fixture.inputs.__provider as string).length).toBe(453);
  });

  it('refresh finds it unchanged and keeps the state as it was; its recorded inputs diff as no change', async () => {
    const outputs = fixture.outputs as unknown as KafkaProductOutputs;
    const read = await provider.read(fixture.id, outputs);
    expect(read.inputs).toBeUndefined();
    expect(read.props).toEqual(outputs);
    const diff = await provider.diff(fixture.id, outputs, fixture.inputs as unknown as StoredKafkaInputs);
    expect(diff).toMatchObject({ changes: false, replaces: [] });
  });

  it("today's program inputs for the same product (names relative) diff as no change against its outputs", async () => {
    // The mesh and stack the fixture was made from: the bench's 20 generated products in 2 domains, its dev stack.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-5ccb533-'));
    try {
      generateMesh(dir, 20, 10, { domains: 2 });
      const loaded = await loadMesh([dir]);
      const config = { 'meshform:gcpProject': 'acme-data-dev', 'meshform:location': 'EU', 'meshform:replicasCap': '1', 'meshform:crossplane': 'true', 'meshform:allowDelete': 'true' };
      const { stack } = stackFromPulumiConfig('dev', config, {});
      const plan = planMesh(loaded.mesh!, stack!);
      const news = kafkaInputs(product, plan.resources.filter((r) => r.product === product), stack!, consumersByTopic(loaded.mesh!));
      expect(news.relative).toBe(true);
      expect(Object.keys(news.topics)).toHaveLength(Object.keys(fixture.inputs.topics).length);
      expect(await provider.diff(fixture.id, fixture.outputs as unknown as KafkaProductOutputs, news)).toMatchObject({ changes: false, replaces: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a topic changed behind its back: refresh records the cluster in the relative form, and the old inputs then diff as a change', async () => {
    const topic = `${product}._public.events_0`;
    await withAdmin(adminConnection(broker.bootstrap), (admin) =>
      admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '1234' }] }] }),
    );
    const read = await provider.read(fixture.id, fixture.outputs as unknown as KafkaProductOutputs);
    const inputs = read.inputs as unknown as StoredKafkaInputs;
    expect(inputs.relative).toBe(true);
    expect(inputs.topics['~._public.events_0']).toBe('partitions=3 replicas=1 retention.ms=1234');
    expect(inputs.principal).toBe('User:~');
    expect(read.props!.relative).toBe(true);
    expect(await provider.diff(fixture.id, read.props!, fixture.inputs as unknown as StoredKafkaInputs)).toMatchObject({ changes: true });
  });

  it('destroy deletes its topics and ACLs, nothing else', async () => {
    const before = await observe(adminConnection(broker.bootstrap));
    expect([...before.topics.keys()].sort()).toEqual(Object.keys(fixture.inputs.topics).sort());
    expect(before.acls.map(key).sort()).toEqual(bindingsOf(fixture.inputs.acls).map(key).sort());
    await provider.delete(fixture.id, fixture.outputs as unknown as KafkaProductOutputs);
    const after = await observe(adminConnection(broker.bootstrap));
    expect([...after.topics.keys()]).toEqual([]);
    expect(after.acls.filter((a) => a.name !== '__meshform_lease')).toEqual([]);
  });
});
