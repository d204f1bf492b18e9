/**
 * A Kafka resource as main wrote it at 5ccb533 (names in full, the settings and the topics it
 * receives from in the outputs too, the 453-byte provider shell) and at f172c3e (names relative
 * to the product, `relative: true`, the owner's bindings as `ownerAcls: true`, `lastApply`) keeps
 * working with today's provider, which writes the compact form (`flags`, readers with their
 * topic): refresh finds it unchanged, its inputs and today's program inputs diff as no change, and
 * destroy deletes what it made.
 *
 * The fixtures test/pulumi/fixtures/state-<commit>/kafka-product.json are one resource of
 * `pulumi stack export` after a first `pulumi up` of the bench's generated mesh at that commit
 * (bench/pulumiState.ts, MESHFORM_BENCH_KEEP=1): the same product, bench.domain0.product14, 10
 * topics, 14 ACL patterns. The cluster is set up from 5ccb533's recorded inputs (names in full)
 * with kafkajs's admin API, read by hand here (not with kafka-state.ts), and checked with it; that
 * f172c3e's record is the same cluster is checked by hand too (`~` read as the product id).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateMesh } from '../../bench/generate';
import { loadMesh } from '../../src/model';
import { consumersByTopic, planMesh } from '../../src/plan';
import { stackFromPulumiConfig } from '../../src/stack/load';
import { kafkaInputs } from '../../src/adapters/pulumi/kafka';
import { provider, closeSessions, type StoredKafkaInputs, type StoredKafkaOutputs } from '../../src/adapters/pulumi/kafka-provider';
import type { TestBroker } from '@meshform/kafka-test-broker';
import { aclToKafkajs, type NamedAcl } from '@meshform/peers/testing/clients/acl-names';
import { adminConnection, providerConfig, startAdminBroker } from './broker';
import { observe, withAdmin } from './oracle';

interface Fixture {
  id: string;
  inputs: { product: string; topics: Record<string, string>; acls: Record<string, Record<string, string>> } & Record<string, unknown>;
  outputs: Record<string, unknown>;
}
const fixtureOf = (commit: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'pulumi', 'fixtures', `state-${commit}`, 'kafka-product.json'), 'utf8')) as Fixture;
/** Names in full: what the cluster is set up from. */
const fixture = fixtureOf('5ccb533');
const product = fixture.inputs.product;
const fixtures: [string, Fixture][] = [
  ['5ccb533', fixture],
  ['f172c3e', fixtureOf('f172c3e')],
];

/** A name of f172c3e's record in full, by hand: `~` at its start is the product id (`~~` a `~`), in a principal after its type. */
const fullName = (name: string) => (name.startsWith('~~') ? name.slice(1) : name.startsWith('~') ? `${product}${name.slice(1)}` : name);
const fullPrincipal = (p: string) => p.replace(/^([^:]*:)(.*)$/, (_m, type: string, name: string) => `${type}${fullName(name)}`);

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

describe('the fixtures are the old shapes, of the same cluster', () => {
  it('5ccb533: names in full, no relative marker, the topics it receives from in the outputs', () => {
    expect(Object.keys(fixture.inputs.topics).every((t) => t.startsWith(`${product}.`))).toBe(true);
    expect(fixture.inputs.relative).toBeUndefined();
    expect(fixture.outputs.consumes).toEqual(['bench.domain1.product13._public.events_0']);
    expect((fixture.inputs.__provider as string).length).toBe(453);
  });

  it("f172c3e: names relative, the owner's bindings as ownerAcls, flags as booleans, lastApply; in full it is 5ccb533's record but the owner's seven prefix grants", () => {
    const [, recent] = fixtures[1];
    expect(recent.inputs).toMatchObject({ relative: true, ownerAcls: true, principal: 'User:~', allowDelete: true, allowDeletePrivate: false, allowBreaking: false });
    expect(recent.outputs).toMatchObject({ relative: true, product, lastApply: '44 created, 0 updated, 0 deleted, 0 unchanged' });
    expect(recent.outputs.consumes).toBeUndefined();
    const topics = Object.fromEntries(Object.entries(recent.inputs.topics).map(([t, text]) => [fullName(t), text]));
    expect(topics).toEqual(fixture.inputs.topics);
    const recentAcls = bindingsOf(
      Object.fromEntries(Object.entries(recent.inputs.acls).map(([p, byPrincipal]) => [p.replace(/^([^:]*:[^:]*:)(.*)$/, (_m, kind: string, name: string) => `${kind}${fullName(name)}`), Object.fromEntries(Object.entries(byPrincipal).map(([pr, g]) => [fullPrincipal(pr), g]))])),
    ).map(key);
    // By hand: the owner's grants on its three topic prefixes (4 operations each) and its two group and two transactional-id prefixes (2 each).
    const all = bindingsOf(fixture.inputs.acls);
    const owner = all.filter((a) => a.principal === `User:${product}` && a.pattern === 'PREFIXED');
    expect(owner).toHaveLength(3 * 4 + 4 * 2);
    expect(recentAcls.sort()).toEqual(all.filter((a) => !owner.includes(a)).map(key).sort());
  });
});

describe.each(fixtures)("a Kafka resource written by main at %s, with today's provider", (_commit, recorded) => {
  it('refresh finds it unchanged and keeps the state as it was; its recorded inputs diff as no change', async () => {
    const outputs = recorded.outputs as unknown as StoredKafkaOutputs;
    const read = await provider.read(recorded.id, outputs);
    expect(read.inputs).toBeUndefined();
    expect(read.props).toEqual(outputs);
    const diff = await provider.diff(recorded.id, outputs, recorded.inputs as unknown as StoredKafkaInputs);
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
      // Today's form: the permissions as flags, readers with their topic, names relative.
      expect(news.flags).toBe('ownerAcls allowDelete');
      expect(news.topics['~._public.events_0']).toMatch(/^\d+x1 .* read-by User:\*$/);
      expect(Object.keys(news.topics)).toHaveLength(Object.keys(recorded.inputs.topics).length);
      expect(await provider.diff(recorded.id, recorded.outputs as unknown as StoredKafkaOutputs, news)).toMatchObject({ changes: false, replaces: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a topic changed behind its back: refresh records the cluster in the relative form, and the old inputs then diff as a change', async () => {
    const topic = `${product}._public.events_0`;
    await withAdmin(adminConnection(broker.bootstrap), (admin) =>
      admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '1234' }] }] }),
    );
    const read = await provider.read(recorded.id, recorded.outputs as unknown as StoredKafkaOutputs);
    const inputs = read.inputs as unknown as StoredKafkaInputs;
    // Written by hand in today's form: 3 partitions x 1 replica, the drifted retention, its public readers.
    expect(inputs.topics['~._public.events_0']).toBe('3x1 retention.ms=1234 read-by User:*');
    expect(inputs.flags).toBe('ownerAcls allowDelete');
    expect(inputs.principal).toBeUndefined();
    expect((read.props as StoredKafkaOutputs).flags).toBe('allowDelete');
    expect(await provider.diff(recorded.id, read.props!, recorded.inputs as unknown as StoredKafkaInputs)).toMatchObject({ changes: true });
    // ...and a recorded retention put back in the inputs is no change against the refreshed outputs.
    expect(await provider.diff(recorded.id, read.props!, inputs)).toMatchObject({ changes: false });
  });

  it('destroy deletes its topics and ACLs, nothing else', async () => {
    const before = await observe(adminConnection(broker.bootstrap));
    expect([...before.topics.keys()].sort()).toEqual(Object.keys(fixture.inputs.topics).sort());
    expect(before.acls.map(key).sort()).toEqual(bindingsOf(fixture.inputs.acls).map(key).sort());
    await provider.delete(recorded.id, recorded.outputs as unknown as StoredKafkaOutputs);
    const after = await observe(adminConnection(broker.bootstrap));
    expect([...after.topics.keys()]).toEqual([]);
    expect(after.acls.filter((a) => a.name !== '__meshform_lease')).toEqual([]);
  });
});

/**
 * The two Kafka resources of the 52b2b4f state (test/pulumi/fixtures/state-52b2b4f: topics as
 * objects, each ACL binding a JSON array of its fields, in inputs and outputs alike), at the
 * provider: refresh of an unchanged cluster keeps them as they are, their recorded inputs diff as
 * no change, destroy deletes what they made. (test/pulumi/old-state.test.ts runs the same state
 * through the real engine against real Kafka, with drift.) The cluster is made by kafkajs from the
 * recorded outputs, read by hand here.
 */
describe("the Kafka resources of the 52b2b4f state, with today's provider", () => {
  interface OldResource {
    id: string;
    type: string;
    inputs: Record<string, unknown>;
    outputs: { topics: Record<string, { topic: string; partitions: number; replicas: number; config: Record<string, string> }>; acls: Record<string, string> } & Record<string, unknown>;
  }
  const state = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'pulumi', 'fixtures', 'state-52b2b4f', 'state.json'), 'utf8')) as { deployment: { resources: OldResource[] } };
  const old = state.deployment.resources.filter((r) => r.type === 'pulumi-nodejs:dynamic/meshform:KafkaProduct');
  /** `[principal, resourceType, patternType, resourceName, operation, permission, host]`, as 52b2b4f wrote a binding. */
  const bindingOf = (text: string): NamedAcl => {
    const [principal, resourceType, pattern, name, operation, permission, host] = JSON.parse(text) as string[];
    return { principal, resourceType, pattern, name, operation, permission, host };
  };
  const topicsOf = (r: OldResource) => Object.values(r.outputs.topics);
  const bindings = (r: OldResource) => Object.values(r.outputs.acls).map(bindingOf);

  beforeEach(async () => {
    // What 52b2b4f made for both products (beforeEach above made 5ccb533's product's: removed first).
    await withAdmin(adminConnection(broker.bootstrap), async (admin) => {
      await admin.deleteTopics({ topics: await admin.listTopics() });
      await admin.deleteAcls({ filters: bindingsOf(fixture.inputs.acls).map(aclToKafkajs) });
      await admin.createTopics({
        topics: old.flatMap(topicsOf).map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: t.replicas, configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })) })),
      });
      await admin.createAcls({ acl: old.flatMap(bindings).map(aclToKafkajs) });
    });
    await provider.configure(providerConfig(broker.bootstrap, { 'meshform:allowDelete': 'true', 'meshform:allowDeletePrivate': 'true', 'meshform:allowBreaking': 'true' }));
  });

  it('the fixture holds two products, topics as objects, bindings as JSON arrays', () => {
    expect(old.map((r) => r.id).sort()).toEqual(['acme.retail.orders', 'acme.retail.shipping']);
    expect(topicsOf(old[0]).length).toBeGreaterThan(0);
    expect(typeof Object.values(old[0].outputs.acls)[0]).toBe('string');
  });

  it.each(['acme.retail.orders', 'acme.retail.shipping'])('%s: refresh keeps its state as it is; its recorded inputs diff as no change', async (id) => {
    const r = old.find((x) => x.id === id)!;
    const read = await provider.read(r.id, r.outputs as never);
    expect([read.props, read.inputs]).toEqual([r.outputs, undefined]);
    expect(await provider.diff(r.id, r.outputs as never, r.inputs as never)).toMatchObject({ changes: false, replaces: [] });
  });

  it('destroy of both deletes every topic and binding they made', async () => {
    const before = await observe(adminConnection(broker.bootstrap));
    expect([...before.topics.keys()].sort()).toEqual(old.flatMap(topicsOf).map((t) => t.topic).sort());
    expect(before.acls.filter((a) => a.name !== '__meshform_lease').map(key).sort()).toEqual(old.flatMap(bindings).map(key).sort());
    for (const r of old) await provider.delete(r.id, r.outputs as never);
    const after = await observe(adminConnection(broker.bootstrap));
    expect([...after.topics.keys()]).toEqual([]);
    expect(after.acls.filter((a) => a.name !== '__meshform_lease')).toEqual([]);
  });
});
