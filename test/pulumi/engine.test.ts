/**
 * `pulumi preview / up / refresh / destroy` with Pulumi's real engine (the `pulumi` peer) against
 * real Apache Kafka (the `kafka` peer), for stack dev of the example mesh: in the repository's own
 * folder (its Pulumi.yaml, `main: bin/pulumi-program.js`), and from a project folder outside the
 * checkout that installs meshform from its packed package; then the mesh split into one stack per
 * business domain. GCP goes to the recording gcp double (PULUMI_DEBUG_PROVIDERS). Kafka's effect is
 * checked with kafkajs's admin client, GCP's with the double's record; expectations come from the
 * specs and `meshform plan --json` of the installed CLI, never from the Pulumi adapter, and for
 * three example products from values written by hand (test/support/example-products.ts), never
 * from meshform at all.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, ConfigResourceTypes } from 'kafkajs';
import { parse, stringify } from 'yaml';
import type { Plan } from '../../src/plan/types';
import { describeWithPeer, realPeer } from '@meshform/peers/testing/peers';
import { packedMeshform, ROOT, workingFolder, INSTALL_TIMEOUT_MS } from '../support/packed';
import { startRealKafka, REAL_KAFKA_START_MS, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { comparable, TOKENS } from './support/expected';
import { engine, previewSteps, startDouble, type Engine, type RecordingDouble } from './support/engine';
import { dataProduct, EXAMPLE_PRODUCTS, gcpRegistrations, kafkaOnDev, sortRegistrations, STACK_FACTS } from '../support/example-products';

const ADMIN = { username: 'admin', password: 'engine-admin-secret-pw' };
const PROJECT = 'acme-mesh'; // not `meshform`: the config namespace stays `meshform:`
const KAFKA_TYPE = 'pulumi-nodejs:dynamic/meshform:KafkaProduct';

describeWithPeer('pulumi', 'the real Pulumi engine runs the meshform program', (pulumiPeer) => {
  if (!realPeer('kafka', 'the real Pulumi engine against real Kafka').home && process.env.MESHFORM_REQUIRE_PEERS !== '1') {
    it.skip('skipped: kafka peer is not installed (npm run -s peers -- install kafka)', () => undefined);
    return;
  }

  let kafka: RealKafka;
  let gcp: RecordingDouble;
  let kubernetes: RecordingDouble;
  let run: Engine;
  let work: string;
  let admin: ReturnType<Kafka['admin']>;

  const meshform = (args: string[], cwd = work) => {
    const res = spawnSync(path.join(cwd, 'node_modules', '.bin', 'meshform'), args, { cwd, encoding: 'utf8', env: { ...process.env, MESHFORM_KAFKA_BOOTSTRAP: '' } });
    if (res.status !== 0) throw new Error(`meshform ${args.join(' ')}: ${res.stderr}`);
    return res.stdout;
  };
  const plan = (cwd = work, stack = 'dev'): Plan => JSON.parse(meshform(['plan', 'specs', '--stack', stack, '--json'], cwd)) as Plan;
  const kafkaOf = (p: Plan) => ({
    topics: p.resources.flatMap((r) => (r.kind === 'kafka:Topic' ? [`${r.properties.topic} ${r.properties.partitions}`] : [])).sort(),
    acls: p.resources.flatMap((r) => (r.kind === 'kafka:Acl' ? [aclText(r.properties)] : [])).sort(),
  });
  const aclText = (a: { principal: string; resourceType: string; patternType: string; resourceName: string; operation: string; permission: string }) =>
    `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.patternType}:${a.resourceName}`;

  /** What the cluster holds, read by kafkajs: topics with partition counts, every ACL binding. */
  async function cluster(): Promise<{ topics: string[]; acls: string[] }> {
    const names = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const { topics } = names.length ? await admin.fetchTopicMetadata({ topics: names }) : { topics: [] };
    const described = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 });
    const kinds: Record<number, string> = { 2: 'TOPIC', 3: 'GROUP', 4: 'CLUSTER', 5: 'TRANSACTIONAL_ID' };
    const patterns: Record<number, string> = { 3: 'LITERAL', 4: 'PREFIXED' };
    const ops: Record<number, string> = { 2: 'ALL', 3: 'READ', 4: 'WRITE', 5: 'CREATE', 6: 'DELETE', 7: 'ALTER', 8: 'DESCRIBE', 9: 'CLUSTER_ACTION', 10: 'DESCRIBE_CONFIGS', 11: 'ALTER_CONFIGS', 12: 'IDEMPOTENT_WRITE' };
    const acls = described.resources.flatMap((r) =>
      r.acls.map((a) => `${a.permissionType === 3 ? 'ALLOW' : 'DENY'} ${a.principal} ${ops[a.operation]} ${kinds[r.resourceType]}:${patterns[r.resourcePatternType]}:${r.resourceName}`),
    );
    return { topics: topics.map((t) => `${t.name} ${t.partitions.length}`).sort(), acls: acls.filter((a) => !a.includes(` User:${ADMIN.username} `)).sort() };
  }

  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`] });
    const client = new Kafka({ brokers: [kafka.bootstrap], clientId: 'oracle', sasl: { mechanism: 'plain', ...ADMIN }, logLevel: logLevel.NOTHING });
    admin = client.admin();
    await admin.connect();
    [gcp, kubernetes] = await Promise.all([startDouble('gcp', process.env), startDouble('kubernetes', process.env)]);
    run = engine(pulumiPeer, { gcp: gcp.port, kubernetes: kubernetes.port });
    const install = await packedMeshform();
    work = workingFolder(install, 'meshform-mesh-a-');
    fs.cpSync(path.join(ROOT, 'specs'), path.join(work, 'specs'), { recursive: true });
    fs.writeFileSync(path.join(work, 'index.js'), "module.exports = require('meshform/pulumi').meshformProgram();\n");
    fs.writeFileSync(
      path.join(work, 'Pulumi.yaml'),
      stringify({ name: PROJECT, runtime: { name: 'nodejs', options: { typescript: false } }, main: 'index.js', stackConfigDir: 'stacks' }),
    );
    fs.mkdirSync(path.join(work, 'stacks'));
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.dev.yaml'), stringify(devStack()));
    run.pulumi(['stack', 'init', 'dev'], work);
    run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password], work);
  }, REAL_KAFKA_START_MS + INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await admin?.disconnect();
    await gcp?.stop();
    await kubernetes?.stop();
    await kafka?.stop();
  });

  /** The example dev stack, its Kafka at the test's cluster as the admin user (the password is set as a secret). */
  function devStack(): { config: Record<string, unknown> } {
    const dev = parse(fs.readFileSync(path.join(ROOT, 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
    Object.assign(dev.config, { 'meshform:kafkaBootstrap': kafka.bootstrap, 'meshform:kafkaSaslMechanism': 'plain', 'meshform:kafkaUsername': ADMIN.username });
    return dev;
  }

  const gcpCreates = () =>
    gcp
      .calls()
      .filter((c) => c.op === 'create')
      .map((c) => ({ type: c.type, name: c.urn.split('::').pop()!, inputs: c.inputs }));
  const byKey = <T extends { type: string; name: string }>(list: T[]) => [...list].sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));

  it("in the repository's own folder (main: bin/pulumi-program.js): preview, up and destroy of dev need nothing else", async () => {
    // The stack's settings (real Kafka, the secret) in a file outside the checkout, which stays as it is.
    const settings = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-repo-stack-'));
    fs.copyFileSync(path.join(ROOT, 'Pulumi.yaml'), path.join(settings, 'Pulumi.yaml'));
    fs.mkdirSync(path.join(settings, 'stacks'));
    const configFile = path.join(settings, 'stacks', 'Pulumi.dev.yaml');
    fs.writeFileSync(configFile, stringify(devStack()));
    run.pulumi(['stack', 'init', 'dev'], settings);
    run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password, '-s', 'dev'], settings);
    // What a run in the checkout could write: its project and stack files, specs, the entry.
    const checkout = () => spawnSync('git', ['status', '--porcelain', '--', 'Pulumi.yaml', 'stacks', 'specs', 'bin'], { cwd: ROOT, encoding: 'utf8' }).stdout;
    const before = checkout();
    const inRepo = (args: string[], status: number | null = 0) => run.pulumi([...args, '-s', 'dev', '--config-file', configFile], ROOT, status);

    const p = plan();
    const steps = previewSteps(inRepo(['preview', '--json']).stdout).filter((x) => !x.includes(' pulumi:providers:'));
    expect(steps.filter((x) => x.startsWith('create meshform:mesh:DataProduct ')).length).toBe(p.products.length);
    expect(steps.filter((x) => x.startsWith(`create ${KAFKA_TYPE} `)).length).toBe(p.products.length);
    gcp.reset();
    inRepo(['up', '--yes', '--skip-preview']);
    expect(await cluster()).toEqual(kafkaOf(p));
    expect(gcpCreates().length).toBe(p.resources.filter((r) => r.kind.startsWith('gcp:')).length);
    // dev allows deletes: tearing it down needs no further setting, though its products consume
    // each other's topics (all of them go) and some topics are _private (dev keeps no private data).
    const destroyed = inRepo(['destroy', '--yes', '--skip-preview']);
    expect(destroyed.stdout).toMatch(/Resources:\s+- \d+ deleted/);
    expect(await cluster()).toEqual({ topics: [], acls: [] });
    expect(checkout()).toBe(before);
  }, 600_000);

  it('preview lists one component and one Kafka resource per product and every GCP resource of the plan', () => {
    const p = plan();
    const preview = run.pulumi(['preview', '--json', '-s', 'dev'], work);
    const expected = [
      ...p.products.map((x) => `create meshform:mesh:DataProduct ${x.id}`),
      ...p.products.map((x) => `create ${KAFKA_TYPE} ${x.id}-kafka`),
      // Schema subjects are planned but not registered: the stack names no schema registry.
      ...p.resources.filter((r) => r.kind.startsWith('gcp:')).map((r) => `create ${TOKENS[r.kind]} ${r.name}`),
    ].sort();
    expect(previewSteps(preview.stdout).filter((s) => !s.includes(' pulumi:providers:'))).toEqual(expected);
  }, 300_000);

  it('up creates exactly the plan: Kafka topics and ACLs in the cluster, GCP creates at the provider', async () => {
    gcp.reset();
    const up = run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work);
    expect(up.stdout + up.stderr).not.toContain(ADMIN.password);
    expect(await cluster()).toEqual(kafkaOf(plan()));
    const project = (parse(fs.readFileSync(path.join(work, 'stacks', 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, string> }).config['meshform:gcpProject'];
    const expected = plan().resources.filter((r) => r.kind.startsWith('gcp:')).map((r) => comparable(r, project));
    const created = gcpCreates();
    expect(created.map((c) => `${c.type} ${c.name}`).sort()).toEqual(expected.map((c) => `${c.type} ${c.name}`).sort());
    for (const [c, e] of byKey(created).map((c, i) => [c, byKey(expected)[i]] as const)) expect(c.inputs).toMatchObject(e.inputs);

    // Three products against values written by hand.
    const now = await cluster();
    for (const product of EXAMPLE_PRODUCTS) {
      const own = (name: string) => name.startsWith(`${product}.`) || name.startsWith(`${product}-`);
      expect({
        product,
        topics: now.topics.filter((t) => own(t.split(' ')[0])),
        acls: now.acls.filter((a) => own(a.split(' ').pop()!.split(':').slice(2).join(':'))),
      }).toEqual({ product, ...kafkaOnDev(product) });
      const hand = gcpRegistrations(product, STACK_FACTS.dev);
      const mine = sortRegistrations(created.filter((c) => c.name.startsWith(`${product}/`)));
      expect(mine.map((c) => `${c.type} ${c.name}`)).toEqual(hand.map((c) => `${c.type} ${c.name}`));
      mine.forEach((c, i) => expect(c.inputs).toMatchObject(hand[i].inputs));
    }
  }, 300_000);

  it('state holds no path, no TypeScript and no secret in clear; a second up changes nothing', () => {
    const exported = run.pulumi(['stack', 'export', '-s', 'dev'], work).stdout;
    const state = JSON.parse(exported) as { deployment: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    const kafkaResources = state.deployment.resources.filter((r) => r.type === KAFKA_TYPE);
    expect(kafkaResources).toHaveLength(plan().products.length);
    // Resources hold no path, no TypeScript, no connection setting and no secret.
    const resources = state.deployment.resources.filter((r) => !r.type.startsWith('pulumi:providers:'));
    const values = JSON.stringify(resources.map((r) => [r.inputs, r.outputs]));
    const found = (needle: string | RegExp) => (typeof needle === 'string' ? values.includes(needle) : needle.test(values));
    expect({ work: found(work), checkout: found(ROOT), ts: found(/\.ts\b['"]/), password: found(ADMIN.password), bootstrap: found(kafka.bootstrap) }).toEqual({
      work: false,
      checkout: false,
      ts: false,
      password: false,
      bootstrap: false,
    });
    // The engine keeps the stack config as the dynamic-provider resource's inputs; the password only encrypted.
    expect(exported.includes(ADMIN.password)).toBe(false);
    // No source positions on what the program registers: they would only point inside meshform's package.
    const positioned = (state.deployment.resources as { type: string; sourcePosition?: string }[]).filter((r) => r.sourcePosition && r.type !== 'pulumi:pulumi:Stack');
    expect(positioned.map((r) => r.type)).toEqual([]);
    run.pulumi(['up', '--yes', '--expect-no-changes', '-s', 'dev'], work);
  }, 300_000);

  it('a spec change (new topic, more partitions, a new grant) is exactly that diff', async () => {
    const shippingFile = path.join(work, 'specs', 'retail-shipping.yaml');
    const shipping = parse(fs.readFileSync(shippingFile, 'utf8'));
    shipping.channels['_public.parcel_shipped'].bindings.kafka.partitions = 8; // dev: x0.25 -> 2
    shipping.channels['_public.parcel_returned'] = {
      description: 'A parcel came back.',
      subscribe: { operationId: 'publishParcelReturned', message: { name: 'ParcelReturned', payload: { type: 'object' } } },
    };
    fs.writeFileSync(shippingFile, stringify(shipping));
    const billingFile = path.join(work, 'specs', 'finance-billing.yaml');
    const billing = parse(fs.readFileSync(billingFile, 'utf8'));
    billing.channels['_protected/invoice_issued'].subscribe.tags.push({ name: 'grant-access:urn:acme:retail:shipping' });
    fs.writeFileSync(billingFile, stringify(billing));

    const before = await cluster();
    const after = kafkaOf(plan());
    const steps = previewSteps(run.pulumi(['preview', '--json', '-s', 'dev'], work).stdout).filter((s) => !s.startsWith('same '));
    const gcpSteps = steps.filter((s) => s.includes(' gcp:'));
    expect(steps.filter((s) => !s.includes(' gcp:'))).toEqual([`update ${KAFKA_TYPE} acme.finance.billing-kafka`, `update ${KAFKA_TYPE} acme.retail.shipping-kafka`]);
    // The grant mirrors to BigQuery: the grantee's account may read the granting product's curated data.
    expect(gcpSteps.every((s) => s.startsWith('create gcp:bigquery/datasetIamMember:DatasetIamMember'))).toBe(true);

    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work);
    const now = await cluster();
    expect(now).toEqual(after);
    expect(now.topics).toEqual(expect.arrayContaining(['acme.retail.shipping._public.parcel_shipped 2', 'acme.retail.shipping._public.parcel_returned 1']));
    expect(now.acls.filter((a) => !before.acls.includes(a))).toEqual(
      expect.arrayContaining(['ALLOW User:acme.retail.shipping READ TOPIC:LITERAL:acme.finance.billing._protected.invoice_issued']),
    );
    run.pulumi(['up', '--yes', '--expect-no-changes', '-s', 'dev'], work);
  }, 600_000);

  it('a config changed behind Pulumi\'s back is found by refresh and put back by up', async () => {
    const topic = 'acme.retail.orders._public.order_placed';
    const retention = async () =>
      (await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }] })).resources[0].configEntries[0]
        .configValue;
    const declared = await retention();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '1234' }] }] });
    // Pulumi cannot know without reading: no change is planned yet.
    run.pulumi(['preview', '--expect-no-changes', '-s', 'dev'], work);
    const refreshed = run.pulumi(['refresh', '--yes', '-s', 'dev'], work);
    expect(refreshed.stdout).toMatch(/acme\.retail\.orders-kafka/);
    const steps = previewSteps(run.pulumi(['preview', '--json', '-s', 'dev'], work).stdout).filter((s) => !s.startsWith('same '));
    expect(steps).toEqual([`update ${KAFKA_TYPE} acme.retail.orders-kafka`]);
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work);
    expect(await retention()).toBe(declared);
  }, 600_000);

  it('preview fails on what up would refuse, and up then changes nothing of that product', async () => {
    // A topic of acme.customer.profiles got partitions behind Pulumi's back; the spec grants one more product.
    const topic = 'acme.customer.profiles._public.profile_updated';
    const partitions = async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
    const planned = await partitions(); // dev: ceil(6 x 0.25) = 2
    await admin.createPartitions({ topicPartitions: [{ topic, count: planned + 2 }] });
    const profilesFile = path.join(work, 'specs', 'customer-profiles.yaml');
    const profiles = parse(fs.readFileSync(profilesFile, 'utf8'));
    profiles.channels.consentChanged.tags.push({ name: 'grant-access:urn:acme:analytics:customer360' });
    fs.writeFileSync(profilesFile, stringify(profiles));
    const grant = 'ALLOW User:acme.analytics.customer360 READ TOPIC:LITERAL:acme.customer.profiles._protected.consent_changed';
    expect(kafkaOf(plan()).acls).toContain(grant);

    const preview = run.pulumi(['preview', '-s', 'dev'], work, null);
    expect(preview.status).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(`REFUSED topic ${topic}: partitions ${planned + 2} -> ${planned}: Kafka cannot remove partitions`);
    const before = await cluster();
    const up = run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work, null);
    expect(up.status).not.toBe(0);
    expect(await cluster()).toEqual(before);
    expect(before.acls).not.toContain(grant);

    // The spec keeps the partitions the topic has now (dev: x0.25): preview passes, up makes the grant.
    profiles.channels.profileUpdated.bindings.kafka.partitions = 4 * (planned + 2);
    fs.writeFileSync(profilesFile, stringify(profiles));
    run.pulumi(['preview', '-s', 'dev'], work);
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work);
    expect(await cluster()).toEqual(kafkaOf(plan()));
    run.pulumi(['up', '--yes', '--expect-no-changes', '-s', 'dev'], work);
  }, 600_000);

  it('from another folder, with the state written from the first: no changes, refresh, then a removed product is deleted', async () => {
    const install = await packedMeshform();
    const other = workingFolder(install, 'meshform-mesh-b-');
    for (const f of ['specs', 'stacks', 'index.js', 'Pulumi.yaml']) fs.cpSync(path.join(work, f), path.join(other, f), { recursive: true });
    run.pulumi(['up', '--yes', '--expect-no-changes', '-s', 'dev'], other);
    run.pulumi(['refresh', '--yes', '--expect-no-changes', '-s', 'dev'], other);

    fs.rmSync(path.join(other, 'specs', 'retail-shipping.yaml'));
    gcp.reset();
    // Other products' specs still receive from shipping's public topic: deleting it needs allowBreaking.
    const refused = run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], other, null);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/REFUSED topic acme\.retail\.shipping\._public\.parcel_shipped: consumed by .*allow-breaking/);
    expect((await cluster()).topics.filter((t) => t.startsWith('acme.retail.shipping.'))).not.toEqual([]);
    run.pulumi(['config', 'set', 'meshform:allowBreaking', 'true', '-s', 'dev'], other);
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], other);
    const now = await cluster();
    expect(now.topics.filter((t) => t.startsWith('acme.retail.shipping.'))).toEqual([]);
    expect(now.acls.filter((a) => a.includes('acme.retail.shipping.'))).toEqual([]);
    expect(now).toEqual(kafkaOf(plan(other)));
    const deleted = gcp.calls().filter((c) => c.op === 'delete').map((c) => c.urn.split('::').pop()!);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((name) => /shipping/.test(name))).toBe(true);
    work = other;
  }, 600_000);

  it('destroy of a stack that keeps private data (allowDeletePrivate: false written out) refuses, naming the setting; then deletes everything', async () => {
    run.pulumi(['config', 'set', 'meshform:allowDeletePrivate', 'false', '-s', 'dev'], work);
    // destroy runs without the program, with the provider configuration of the last update: update first.
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work);
    const before = await cluster();
    const refused = run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'dev'], work, null);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/REFUSED topic [^ ]+\._private\.[^ ]+: _private topic .*allowDeletePrivate/);
    expect(refused.stdout + refused.stderr).toContain('pulumi config set meshform:allowDeletePrivate true');
    // The products with a refused private topic changed nothing; the others are gone.
    const now = await cluster();
    const privateOwners = before.topics.filter((t) => t.includes('._private.')).map((t) => t.slice(0, t.indexOf('._private.')));
    expect(privateOwners.length).toBeGreaterThan(0);
    for (const owner of privateOwners) expect(now.topics.filter((t) => t.startsWith(`${owner}.`))).toEqual(before.topics.filter((t) => t.startsWith(`${owner}.`)));
    run.pulumi(['config', 'set', 'meshform:allowDeletePrivate', 'true', '-s', 'dev'], work);
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'dev'], work);
    run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'dev'], work);
    expect(await cluster()).toEqual({ topics: [], acls: [] });
  }, 600_000);

  it('Crossplane mode (stack staging) under disable-default-providers: one DataProduct object per product at the kubernetes provider', async () => {
    const staging = parse(fs.readFileSync(path.join(ROOT, 'stacks', 'Pulumi.staging.yaml'), 'utf8')) as { config: Record<string, unknown> };
    Object.assign(staging.config, {
      'pulumi:disable-default-providers': ['*'],
      'meshform:kafkaBootstrap': kafka.bootstrap,
      'meshform:kafkaTls': false,
      'meshform:replicasCap': 1, // one broker
      'meshform:kafkaSaslMechanism': 'plain',
      'meshform:kafkaUsername': ADMIN.username,
      // So that the test can destroy what it made; staging itself keeps deletes off.
      'meshform:allowDelete': true,
      'meshform:allowDeletePrivate': true,
      'meshform:allowBreaking': true,
    });
    fs.writeFileSync(path.join(work, 'stacks', 'Pulumi.staging.yaml'), stringify(staging));
    run.pulumi(['stack', 'init', 'staging'], work);
    run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password, '-s', 'staging'], work);
    gcp.reset();
    kubernetes.reset();
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'staging'], work);

    const p = plan(work, 'staging');
    const objects = p.resources.filter((r) => r.kind === 'crossplane:DataProduct');
    expect(objects.length).toBe(p.products.length);
    const created = kubernetes.calls().filter((c) => c.op === 'create');
    expect(created.map((c) => `${c.type} ${c.urn.split('::').pop()}`).sort()).toEqual(objects.map((o) => `${TOKENS['crossplane:DataProduct']} ${o.name}`).sort());
    for (const o of objects) {
      const call = created.find((c) => c.urn.endsWith(`::${o.name}`))!;
      expect(call.inputs).toMatchObject(o.properties as unknown as Record<string, unknown>);
    }
    for (const product of EXAMPLE_PRODUCTS) {
      const call = created.find((c) => c.urn.endsWith(`::${product}/dataproduct`));
      const expected = dataProduct(product, STACK_FACTS.staging) as { spec: { datasets: Array<{ layer: string; viewers: string[] }> } };
      // The refusal test above granted acme.analytics.customer360 profiles' consent_changed in this folder's specs.
      if (product === 'acme.customer.profiles') {
        const curated = expected.spec.datasets.find((d) => d.layer === 'curated')!;
        curated.viewers = [...curated.viewers, 'serviceAccount:mf-acme-analytics-customer360@acme-data-staging.iam.gserviceaccount.com'].sort();
      }
      expect([product, call?.inputs]).toEqual([product, expect.objectContaining(expected)]);
    }
    expect(gcp.calls().filter((c) => c.op === 'create')).toEqual([]);
    expect(await cluster()).toEqual(kafkaOf(p));
    run.pulumi(['up', '--yes', '--expect-no-changes', '-s', 'staging'], work);
    // A protected stack refuses destroy (Pulumi's protect, which meshform:protect sets) and changes nothing.
    run.pulumi(['config', 'set', 'meshform:protect', 'true', '-s', 'staging'], work);
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'staging'], work);
    const protectedDestroy = run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'staging'], work, null);
    expect(protectedDestroy.status).not.toBe(0);
    expect(protectedDestroy.stdout + protectedDestroy.stderr).toMatch(/protect/);
    expect(await cluster()).toEqual(kafkaOf(p));
    run.pulumi(['config', 'set', 'meshform:protect', 'false', '-s', 'staging'], work);
    run.pulumi(['up', '--yes', '--skip-preview', '-s', 'staging'], work);
    kubernetes.reset();
    run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'staging'], work);
    expect(kubernetes.calls().filter((c) => c.op === 'delete').length).toBe(objects.length);
    expect(await cluster()).toEqual({ topics: [], acls: [] });
  }, 900_000);

  it('a mesh split into one stack per business domain: each up independent (two at a time), together exactly the plan of the whole; destroy keeps what another stack\'s product consumes', async () => {
    const install = await packedMeshform();
    const split = workingFolder(install, 'meshform-mesh-split-');
    for (const f of ['specs', 'index.js', 'Pulumi.yaml']) fs.cpSync(path.join(work, f), path.join(split, f), { recursive: true });
    fs.mkdirSync(path.join(split, 'stacks'));
    fs.writeFileSync(path.join(split, 'stacks', 'Pulumi.dev.yaml'), stringify(devStack()));
    // The user's way: meshform writes a stack file per domain from dev's settings.
    meshform(['stacks', 'plan', 'specs', '--by', 'domain', '--stack', 'dev', '--write'], split);
    const names = ['dev-analytics', 'dev-customer', 'dev-finance', 'dev-marketing', 'dev-retail'];
    expect(fs.readdirSync(path.join(split, 'stacks')).sort()).toEqual(['Pulumi.dev.yaml', ...names.map((n) => `Pulumi.${n}.yaml`)].sort());
    for (const name of names) {
      run.pulumi(['stack', 'init', name], split);
      run.pulumi(['config', 'set', '--secret', 'meshform:kafkaPassword', ADMIN.password, '-s', name], split);
    }
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) await run.pulumiAsync(['up', '--yes', '--skip-preview', '-s', name], split);
    };
    await Promise.all([worker(), worker()]);
    // Together: exactly what one stack of the whole mesh makes; each stack holds only its domain's products.
    expect(await cluster()).toEqual(kafkaOf(plan(split, 'dev')));
    for (const name of names) {
      const state = JSON.parse(run.pulumi(['stack', 'export', '-s', name], split).stdout) as { deployment: { resources: { type: string; urn: string }[] } };
      const components = state.deployment.resources.filter((r) => r.type === 'meshform:mesh:DataProduct').map((r) => r.urn.split('::').pop()).sort();
      expect([name, components]).toEqual([name, plan(split, name).products.map((x) => x.id)]);
    }
    // Nobody receives from analytics or marketing: their stacks go. Marketing's spec receives from
    // customer, in another stack, so customer's destroy is refused (its consumer stays) and changes nothing.
    run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'dev-analytics'], split);
    run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'dev-marketing'], split);
    const before = await cluster();
    expect(before.topics.filter((t) => /^acme\.(analytics|marketing)\./.test(t))).toEqual([]);
    const refused = run.pulumi(['destroy', '--yes', '--skip-preview', '-s', 'dev-customer'], split, null);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/REFUSED topic acme\.customer\.profiles\._public\.profile_updated: consumed by acme\.marketing\.campaigns/);
    expect(refused.stdout + refused.stderr).toContain('pulumi config set meshform:allowBreaking true');
    expect(await cluster()).toEqual(before);
  }, 900_000);
});
