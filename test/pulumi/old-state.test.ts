/**
 * A state written by meshform as released before the workspaces move (52b2b4f, the parent of
 * e74e6de) keeps working with today's meshform: the fixture test/pulumi/fixtures/state-52b2b4f
 * (made by its make.sh: that release, packed and installed in a mesh project, `pulumi up` of two
 * products of its example mesh) is imported into a stack of a project that installs today's packed
 * meshform; `pulumi refresh` and `pulumi destroy` run with the real engine (the `pulumi` peer)
 * against real Apache Kafka (the `kafka` peer). The old state's dynamic provider is a shell that
 * loads `meshform/pulumi/kafka-provider` by package name in the project folder: the export path
 * this test holds today's package to.
 *
 * The cluster is set up with kafkajs's admin API from the fixture's own recorded topics and ACLs,
 * and checked with it; expected values come from the fixture and from this file, never from
 * meshform's code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { stringify } from 'yaml';
import { describeWithPeer, realPeer } from '@meshform/peers/testing/peers';
import { startRealKafka, REAL_KAFKA_START_MS, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';
import { packedMeshform, workingFolder, INSTALL_TIMEOUT_MS } from '../support/packed';
import { engine, startDouble, type Engine, type RecordingDouble } from './support/engine';

const FIXTURE = path.join(__dirname, 'fixtures', 'state-52b2b4f');
/** What make.sh wrote in place of the broker's address (see the fixture's README). */
const PLACEHOLDER = '@@KAFKA_BOOTSTRAP@@';
const REGISTRY_PLACEHOLDER = '@@SCHEMA_REGISTRY@@';
/** The admin user and test-only password make.sh gave its broker; the state holds the password encrypted with the engine suite's passphrase. */
const ADMIN = { username: 'admin', password: 'engine-admin-secret-pw' };
const PROJECT = 'acme-mesh';
const KAFKA_TYPE = 'pulumi-nodejs:dynamic/meshform:KafkaProduct';
const SCHEMAS_TYPE = 'pulumi-nodejs:dynamic/meshform:SchemaSubjects';

interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
interface TopicProps {
  topic: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}
interface SubjectProps {
  subject: string;
  schema: string;
  schemaType: string;
  references: unknown[];
  compatibility?: string;
}
interface Exported {
  deployment: { resources?: StateResource[] };
}

const fixtureText = fs.readFileSync(path.join(FIXTURE, 'state.json'), 'utf8');
const fixture = JSON.parse(fixtureText) as Exported;
const kafkaProducts = fixture.deployment.resources!.filter((r) => r.type === KAFKA_TYPE);
/** The topics and ACL bindings the old state says it made, from its recorded outputs. */
const oldTopics = kafkaProducts.flatMap((r) => Object.values(r.outputs!.topics as Record<string, TopicProps>));
const oldAcls = kafkaProducts.flatMap((r) => Object.values(r.outputs!.acls as Record<string, string>).map((a) => JSON.parse(a) as string[]));
/** The schema subjects the old state says it registered, from its recorded inputs. */
const oldSubjects = fixture.deployment.resources!.filter((r) => r.type === SCHEMAS_TYPE).flatMap((r) => Object.values(r.inputs!.subjects as Record<string, SubjectProps>));
const oldGcp = fixture.deployment.resources!.filter((r) => r.type.startsWith('gcp:'));
const aclText = ([principal, resourceType, patternType, resourceName, operation, permission]: string[]) =>
  `${permission} ${principal} ${operation} ${resourceType}:${patternType}:${resourceName}`;

/**
 * A name as today's state may write it (docs/pulumi.md, "State size"): `~` at its start stands for
 * the product's id, `~~` for a `~`; a principal's name part likewise.
 */
const fullName = (product: string, name: string) => (name.startsWith('~~') ? name.slice(1) : name.startsWith('~') ? `${product}${name.slice(1)}` : name);
const fullPrincipal = (product: string, principal: string) => principal.replace(/^([^:]*:)(.*)$/, (_m, type: string, name: string) => `${type}${fullName(product, name)}`);
/** The keys of a recorded topics map, in full. */
const names = (product: string, map: unknown) => Object.keys((map ?? {}) as Record<string, unknown>).map((k) => fullName(product, k));
/** A recorded ACL map's patterns and principals, in full. */
const aclNames = (product: string, map: unknown) =>
  Object.entries((map ?? {}) as Record<string, Record<string, string> | string>).map(([pattern, byPrincipal]) => [
    pattern.replace(/^([^:]*:[^:]*:)(.*)$/, (_m, kind: string, name: string) => `${kind}${fullName(product, name)}`),
    typeof byPrincipal === 'string' ? byPrincipal : Object.keys(byPrincipal).map((p) => fullPrincipal(product, p)),
  ]);

/**
 * Principals a topic's recorded text names as its readers (today's form: `3x1 retention.ms=1 read-by
 * User:a User:b`, `%` and white space as `%XX`), in full; none in the older forms.
 */
const readersIn = (product: string, map: unknown) =>
  Object.values((map ?? {}) as Record<string, unknown>).flatMap((text) => {
    const fields = typeof text === 'string' ? text.split(' ') : [];
    const at = fields.indexOf('read-by');
    return at < 0 ? [] : fields.slice(at + 1).map((p) => fullPrincipal(product, decodeURIComponent(p)));
  });

describeWithPeer('pulumi', 'a Pulumi state written before the workspaces move refreshes and destroys with today\'s meshform', (pulumiPeer) => {
  if (!realPeer('kafka', 'an old state against real Kafka').home && process.env.MESHFORM_REQUIRE_PEERS !== '1') {
    it.skip('skipped: kafka peer is not installed (npm run -s peers -- install kafka)', () => undefined);
    return;
  }
  const registryPeer = realPeer('registry', 'an old state\'s schema subjects on a real registry');
  if (!registryPeer.home && process.env.MESHFORM_REQUIRE_PEERS !== '1') {
    it.skip('skipped: registry peer is not installed (npm run -s peers -- install registry)', () => undefined);
    return;
  }

  let kafka: RealKafka;
  let registry: RealRegistry;
  let gcp: RecordingDouble;
  let run: Engine;
  let work: string;
  let admin: ReturnType<Kafka['admin']>;

  /** What the cluster holds, read by kafkajs: topics with partition counts, every ACL binding but the admin's. */
  async function cluster(): Promise<{ topics: string[]; acls: string[] }> {
    const names = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const { topics } = names.length ? await admin.fetchTopicMetadata({ topics: names }) : { topics: [] };
    const described = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const name = <T extends Record<string, unknown>>(e: T, v: number) => Object.keys(e).find((k) => e[k] === v)!;
    const acls = described.resources.flatMap((r) =>
      r.acls.map((a) =>
        aclText([a.principal, name(AclResourceTypes, r.resourceType), name(ResourcePatternTypes, r.resourcePatternType), r.resourceName, name(AclOperationTypes, a.operation), name(AclPermissionTypes, a.permissionType)]),
      ),
    );
    return { topics: topics.map((t) => `${t.name} ${t.partitions.length}`).sort(), acls: acls.filter((a) => !a.includes(` User:${ADMIN.username} `)).sort() };
  }

  /** Subjects the registry lists, read with plain HTTP from its Confluent-compatible API. */
  const subjects = async () => ((await (await fetch(`${registry.url}/subjects`)).json()) as string[]).sort();

  const exported = (): Exported => JSON.parse(run.pulumi(['stack', 'export', '-s', 'dev'], work).stdout) as Exported;

  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`] });
    admin = new Kafka({ brokers: [kafka.bootstrap], clientId: 'oracle', sasl: { mechanism: 'plain', ...ADMIN }, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    // What the old state describes, made with kafkajs from the state's own record.
    await admin.createTopics({
      waitForLeaders: true,
      topics: oldTopics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: t.replicas,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
    });
    await admin.createAcls({
      acl: oldAcls.map(([principal, resourceType, patternType, resourceName, operation, permission, host]) => ({
        principal,
        host,
        resourceType: AclResourceTypes[resourceType as keyof typeof AclResourceTypes],
        resourcePatternType: ResourcePatternTypes[patternType as keyof typeof ResourcePatternTypes],
        resourceName,
        operation: AclOperationTypes[operation as keyof typeof AclOperationTypes],
        permissionType: AclPermissionTypes[permission as keyof typeof AclPermissionTypes],
      })),
    });

    // The old state's schema subjects, registered with plain HTTP from the state's own record.
    registry = await startRealRegistry(registryPeer.home!);
    for (const s of oldSubjects) {
      const body = { schema: s.schema, schemaType: s.schemaType, references: s.references };
      const res = await fetch(`${registry.url}/subjects/${encodeURIComponent(s.subject)}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`registering ${s.subject}: ${res.status} ${await res.text()}`);
    }

    gcp = await startDouble('gcp', process.env);
    run = engine(pulumiPeer, { gcp: gcp.port });
    // A mesh project that installs today's packed meshform, with the stack config file the state was written with.
    work = workingFolder(await packedMeshform(), 'meshform-old-state-');
    fs.writeFileSync(path.join(work, 'index.js'), "module.exports = require('meshform/pulumi').meshformProgram();\n");
    fs.writeFileSync(
      path.join(work, 'Pulumi.yaml'),
      stringify({ name: PROJECT, runtime: { name: 'nodejs', options: { typescript: false } }, main: 'index.js', stackConfigDir: 'stacks' }),
    );
    fs.mkdirSync(path.join(work, 'stacks'));
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.dev.yaml'), fs.readFileSync(path.join(FIXTURE, 'Pulumi.dev.yaml'), 'utf8').split(PLACEHOLDER).join(kafka.bootstrap).split(REGISTRY_PLACEHOLDER).join(new URL(registry.url).host));
    const registryHost = new URL(registry.url).host;
    fs.writeFileSync(path.join(work, 'state.json'), fixtureText.split(PLACEHOLDER).join(kafka.bootstrap).split(REGISTRY_PLACEHOLDER).join(registryHost));
  }, REAL_KAFKA_START_MS + 120_000 + INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await admin?.disconnect();
    await gcp?.stop();
    await registry?.stop();
    await kafka?.stop();
  });

  it('the fixture is an old state: its provider loads meshform/pulumi/kafka-provider by package name; the cluster and the registry hold what it describes', async () => {
    expect(kafkaProducts.map((r) => r.urn.split('::').pop()).sort()).toEqual(['acme.retail.orders-kafka', 'acme.retail.shipping-kafka']);
    for (const r of kafkaProducts) {
      const source = r.inputs!.__provider as string;
      expect(source).toContain('meshform/pulumi/${subpath}');
      expect(source).toContain('subpath: "kafka-provider"');
    }
    for (const r of fixture.deployment.resources!.filter((x) => x.type === SCHEMAS_TYPE)) expect(r.inputs!.__provider as string).toContain('subpath: "schemas-provider"');
    // Hand-written from the release's specs retail-orders and retail-shipping at stack dev (partitions x0.25, at least 1).
    expect(oldTopics.map((t) => `${t.topic} ${t.partitions}`).sort()).toEqual([
      'acme.retail.orders._private.order_state 1',
      'acme.retail.orders._protected.order_payment 1',
      'acme.retail.orders._public.order_placed 2',
      'acme.retail.shipping._public.parcel_shipped 1',
    ]);
    expect(oldAcls.length).toBeGreaterThan(0);
    expect(await cluster()).toEqual({ topics: oldTopics.map((t) => `${t.topic} ${t.partitions}`).sort(), acls: oldAcls.map(aclText).sort() });
    // Hand-written from the same specs: a value subject per topic, and order_placed's key schema.
    expect(oldSubjects.map((s) => s.subject).sort()).toEqual([
      'acme.retail.orders._private.order_state-value',
      'acme.retail.orders._protected.order_payment-value',
      'acme.retail.orders._public.order_placed-key',
      'acme.retail.orders._public.order_placed-value',
      'acme.retail.shipping._public.parcel_shipped-value',
    ]);
    expect(await subjects()).toEqual(oldSubjects.map((s) => s.subject).sort());
  });

  it('pulumi stack import takes the state into a stack of a project that installs today\'s meshform', () => {
    run.pulumi(['stack', 'init', 'dev'], work);
    run.pulumi(['stack', 'import', '--file', 'state.json', '-s', 'dev'], work);
    const types = exported().deployment.resources!.map((r) => r.type);
    expect(types.filter((t) => t === KAFKA_TYPE)).toHaveLength(2);
    expect(types.filter((t) => t === SCHEMAS_TYPE)).toHaveLength(2);
    expect(types.filter((t) => t.startsWith('gcp:'))).toHaveLength(oldGcp.length);
  }, 120_000);

  it('pulumi refresh reads the old state\'s Kafka resources from the cluster, a change made behind Pulumi\'s back included', async () => {
    const topic = 'acme.retail.orders._public.order_placed';
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '1234' }] }] });
    gcp.reset();
    const refreshed = run.pulumi(['refresh', '--yes', '-s', 'dev'], work);
    expect(refreshed.stdout).toMatch(/acme\.retail\.orders-kafka/);
    // Read without meshform's code, and whatever shape today's provider records its topics in (the
    // old one's objects, or text): each old topic still named in its product's state, the drifted value recorded.
    const after = exported().deployment.resources!.filter((r) => r.type === KAFKA_TYPE);
    expect(after.map((r) => r.urn).sort()).toEqual(kafkaProducts.map((r) => r.urn).sort());
    for (const old of kafkaProducts) {
      const now = after.find((r) => r.urn === old.urn)!;
      const product = old.inputs!.product as string;
      const recorded = JSON.stringify([names(product, now.inputs?.topics), names(product, now.outputs?.topics)]);
      for (const t of Object.keys(old.outputs!.topics as Record<string, unknown>)) expect(recorded).toContain(JSON.stringify(t));
      // ACL bindings by pattern, and (today's form) a reader's grant with its topic: the topic's name and its readers.
      const recordedAcls = JSON.stringify([aclNames(product, now.inputs?.acls), aclNames(product, now.outputs?.acls), names(product, now.inputs?.topics), readersIn(product, now.inputs?.topics)]);
      for (const [principal, , patternType, resourceName] of Object.values(old.outputs!.acls as Record<string, string>).map((a) => JSON.parse(a) as string[])) {
        // The owner's bindings on its own prefixes may be kept as `ownerAcls: true` (f172c3e) or the word `ownerAcls` of `flags` instead of written out.
        const ownerAcls = now.inputs?.ownerAcls === true || String(now.inputs?.flags ?? '').split(' ').includes('ownerAcls');
        if (ownerAcls && principal === `User:${product}` && patternType === 'PREFIXED' && resourceName.startsWith(product)) continue;
        expect(recordedAcls).toContain(principal);
        expect(recordedAcls).toContain(resourceName);
      }
    }
    const orders = after.find((r) => r.urn.endsWith('::acme.retail.orders-kafka'))!;
    const ordersTopics = JSON.stringify([orders.inputs?.topics, orders.outputs?.topics]);
    expect(ordersTopics).toMatch(/retention\.ms\W{1,3}1234\b/);
    // Every GCP resource of the state was read at the provider (the recording double), and nothing else.
    expect([...new Set(gcp.calls().filter((c) => c.op === 'read').map((c) => c.urn))].sort()).toEqual(oldGcp.map((r) => r.urn).sort());
  }, 600_000);

  it('pulumi destroy deletes every topic, ACL and schema subject of the old state and every GCP resource; the stack is empty', async () => {
    gcp.reset();
    run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'dev'], work);
    expect(await cluster()).toEqual({ topics: [], acls: [] });
    expect(await subjects()).toEqual([]);
    expect(gcp.calls().filter((c) => c.op === 'delete').map((c) => c.urn).sort()).toEqual(oldGcp.map((r) => r.urn).sort());
    expect(exported().deployment.resources ?? []).toEqual([]);
  }, 600_000);
});
