/**
 * The cluster's lease (src/adapters/kafka/engine/lease.ts): one meshform run changes a cluster at a
 * time. On the in-process test broker: what the lease leaves on the cluster, read with kafkajs's
 * admin client (a crashed run's binding and another run's are written with it too, as their runs
 * would have); waiting, refusing, renewal, expiry, many contenders at once; `kafka apply` and the
 * Pulumi provider waiting for or refusing another run. Two CLI processes on real Kafka:
 * test/kafka/lease-real.test.ts.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import type { TestBroker } from '@meshform/kafka-test-broker';
import { ClusterLease, KafkaWire, LeaseBusy, LeaseLost, leaseBinding, type KafkaConnection, type LeaseHolder } from '../../src/adapters/kafka';
import { main } from '../../src/cli/main';
import { provider, closeSessions, lastApplyOf } from '../../src/adapters/pulumi/kafka-provider';
import { encodeAcls, encodeTopics } from '../../src/adapters/pulumi/kafka-state';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { runRecorded } from '../support/io';
import { ADMIN, providerConfig, startAdminBroker } from './broker';
import { ownerAcl, topic } from './fixtures';
import { leaseAcls, withAdmin } from './oracle';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENV = ['MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD', 'MESHFORM_KAFKA_LEASE_WAIT'];
restoreEnvAfterAll(ENV);

let broker: TestBroker;
let connection: KafkaConnection;
const wires: KafkaWire[] = [];

beforeEach(async () => {
  ({ broker, connection } = await startAdminBroker());
});
afterEach(async () => {
  await Promise.all(wires.splice(0).map((w) => w.close()));
  await closeSessions();
  await broker.stop();
});

async function wire(): Promise<KafkaWire> {
  const w = await KafkaWire.open(connection);
  wires.push(w);
  return w;
}

/** The bindings on TOPIC __meshform_lease as kafkajs's admin lists them: principal, operation, permission, host. */
async function leaseBindings(): Promise<string[]> {
  return (await leaseAcls(connection)).map((a) => `${a.principal} ${a.operation} ${a.permission} ${a.host}`).sort();
}

/** Another run's binding (one that crashed, or one still running), written with kafkajs as that run would have. */
function plant(holder: LeaseHolder): Promise<void> {
  const b = leaseBinding(holder);
  return withAdmin(connection, async (admin) => {
    await admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: b.resourceName,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: b.principal,
          host: '*',
          operation: AclOperationTypes.READ,
          permissionType: AclPermissionTypes.DENY,
        },
      ],
    });
  });
}

const OTHER: LeaseHolder = { runId: 'f00d', expiresAt: Date.now() + 3_600_000, who: 'ci@runner-7 pid 4242: meshform kafka apply (stack prod)' };

describe('the cluster lease', () => {
  it('is one DENY READ binding on TOPIC __meshform_lease naming the run while held, and nothing after release', async () => {
    const lease = await ClusterLease.acquire(await wire(), { who: 'alice@laptop pid 1: test', now: () => 1_700_000_000_000 });
    expect(await leaseBindings()).toEqual([`User:meshform-lease/1700000060000/${lease.runId}/alice%40laptop%20pid%201%3A%20test READ DENY *`]);
    await lease.release();
    expect(await leaseBindings()).toEqual([]);
  });

  it('costs three reads of the lease resource, one binding written and one removed on an idle cluster', async () => {
    broker.resetStats();
    const lease = await ClusterLease.acquire(await wire());
    await lease.release();
    expect(broker.stats().requests).toMatchObject({ DescribeAcls: 3, CreateAcls: 1, DeleteAcls: 1 });
  });

  it("refuses at once while another run holds it, naming that run and changing nothing (waitMs 0)", async () => {
    await plant(OTHER);
    const refused = await ClusterLease.acquire(await wire(), { waitMs: 0 }).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(LeaseBusy);
    expect((refused as LeaseBusy).holder).toEqual(OTHER);
    expect((refused as Error).message).toBe(
      `another meshform run is changing this cluster: ci@runner-7 pid 4242: meshform kafka apply (stack prod) holds its lease (until ${new Date(OTHER.expiresAt).toISOString()} unless renewed). Nothing was changed: run again when it is done, or let it wait for the lease`,
    );
    expect((await leaseBindings()).length).toBe(1);
  });

  it("waits for another run's lease, says for whom, and takes it once that run is done", async () => {
    const first = await ClusterLease.acquire(await wire(), { who: 'first run' });
    const waits: LeaseHolder[] = [];
    let acquiredAt = 0;
    const second = ClusterLease.acquire(await wire(), { who: 'second run', pollMs: 50, onWait: (h) => waits.push(h) }).then((l) => ((acquiredAt = Date.now()), l));
    await new Promise((r) => setTimeout(r, 400));
    const releasedAt = Date.now();
    await first.release();
    const lease = await second;
    expect(waits.map((h) => h.who)).toEqual(['first run']);
    expect(acquiredAt).toBeGreaterThanOrEqual(releasedAt);
    await lease.release();
  });

  it('gives up after waitMs with how long it waited', async () => {
    await plant(OTHER);
    const started = Date.now();
    const refused = await ClusterLease.acquire(await wire(), { waitMs: 300, pollMs: 50 }).then(() => undefined, (e: Error) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(refused?.message).toMatch(/holds its lease .*; waited 300 ms\. Nothing was changed: run again when it is done, or wait longer$/);
  });

  it("ignores and removes a crashed run's expired binding", async () => {
    await plant({ runId: 'dead', expiresAt: Date.now() - 1000, who: 'a run that crashed' });
    const lease = await ClusterLease.acquire(await wire(), { waitMs: 0 });
    expect((await leaseBindings()).filter((b) => b.includes('/dead/'))).toEqual([]);
    await lease.release();
  });

  it('renews its binding while held: always one binding of the run, with a later expiry', async () => {
    let clock = 1_000_000;
    const lease = await ClusterLease.acquire(await wire(), { ttlMs: 300, now: () => clock });
    const before = await leaseBindings();
    clock += 200;
    await new Promise((r) => setTimeout(r, 400)); // a renewal every 100 ms
    const after = await leaseBindings();
    expect(before).toEqual([expect.stringContaining(`User:meshform-lease/1000300/${lease.runId}/`)]);
    // Renewed every 100 ms: the expiry now + 300 ms, or one ms past the last when the clock has not moved since.
    expect(after).toEqual([expect.stringMatching(new RegExp(`^User:meshform-lease/100050\\d/${lease.runId}/`))]);
    lease.assertHeld();
    await lease.release();
  });

  it('is lost when it cannot be renewed in time: assertHeld stops the run', async () => {
    const w = await wire();
    const lease = await ClusterLease.acquire(w, { ttlMs: 150 });
    await broker.stop(); // renewals now fail
    await new Promise((r) => setTimeout(r, 400));
    expect(() => lease.assertHeld()).toThrow(LeaseLost);
    expect(() => lease.assertHeld()).toThrow(/^the cluster's lease (was lost \(renewal failed: |expired before it could be renewed)/);
    ({ broker } = await startAdminBroker()); // for afterEach
  });

  it('many runs at once: one holds it at a time, and every one gets it in the end', async () => {
    const held: Array<[number, number]> = [];
    await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const lease = await ClusterLease.acquire(await wire(), { who: `run ${i}`, pollMs: 20, waitMs: 60_000 });
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 60));
        held.push([start, Date.now()]);
        await lease.release();
      }),
    );
    expect(held).toHaveLength(5);
    const sorted = [...held].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThanOrEqual(sorted[i - 1][1]);
    expect(await leaseBindings()).toEqual([]);
  });
});

describe('meshform kafka apply and the lease', () => {
  const SPECS = join(__dirname, 'specs', 'access');
  const apply = (...more: string[]) =>
    withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password }, () =>
      runRecorded((io) => main(['kafka', 'apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes', ...more], io)),
    );
  const topics = () => withAdmin(connection, (admin) => admin.listTopics());

  it('--lease-wait 0 refuses while another run holds it: exit 2, who holds it, nothing created', async () => {
    await plant(OTHER);
    const run = await apply('--lease-wait', '0');
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').pop()).toBe(
      `meshform kafka apply: another meshform run is changing this cluster: ${OTHER.who} holds its lease (until ${new Date(OTHER.expiresAt).toISOString()} unless renewed). Nothing was changed: run again when it is done, or let it wait for the lease`,
    );
    expect(run.stdout).toBe('');
    expect(await topics()).toEqual([]);
  });

  it('waits, saying for whom, then applies once the other run is done; the lease is gone afterwards', async () => {
    const other = await ClusterLease.acquire(await wire(), { who: 'bob@ci pid 9: meshform kafka apply (stack dev)' });
    setTimeout(() => void other.release(), 1500);
    const run = await apply('--lease-wait', '30');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\nmeshform kafka apply: waiting for the cluster's lease: bob@ci pid 9: meshform kafka apply \(stack dev\) holds it \(until \S+ unless renewed\)$/);
    expect((await topics()).length).toBeGreaterThan(0);
    expect(await leaseBindings()).toEqual([]);
  });

  it('a saved plan is applied under the lease too: refused while another run holds it, nothing created; applied once it is free', async () => {
    const env = { MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password };
    const file = join(mkdtempSync(join(tmpdir(), 'meshform-lease-plan-')), 'dev.plan');
    const kafka = (...args: string[]) => withEnv(env, () => runRecorded((io) => main(['kafka', ...args], io)));
    expect((await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--out', file)).code).toBe(0);
    await plant(OTHER);
    const refused = await kafka('apply', '--plan', file, '--bootstrap', broker.bootstrap, '--yes', '--lease-wait', '0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`another meshform run is changing this cluster: ${OTHER.who} holds its lease`);
    expect(await topics()).toEqual([]);
    // The other run ends: its binding goes, as its release would remove it.
    const b = leaseBinding(OTHER);
    await withAdmin(connection, (admin) =>
      admin.deleteAcls({
        filters: [{ resourceType: AclResourceTypes.TOPIC, resourceName: b.resourceName, resourcePatternType: ResourcePatternTypes.LITERAL, principal: b.principal, host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.DENY }],
      }),
    );
    expect(await leaseBindings()).toEqual([]);
    const applied = await kafka('apply', '--plan', file, '--bootstrap', broker.bootstrap, '--yes', '--lease-wait', '0');
    expect(applied.code).toBe(0);
    expect((await topics()).length).toBeGreaterThan(0);
    expect(await leaseBindings()).toEqual([]);
  });

  it('rejects a --lease-wait that is not whole seconds (usage, exit 2)', async () => {
    const run = await apply('--lease-wait', 'soon');
    expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining("--lease-wait takes whole seconds (0: do not wait), not 'soon'") });
  });

  it('plan takes no lease: it reads while another run holds it', async () => {
    await plant(OTHER);
    const plan = await withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password }, () =>
      runRecorded((io) => main(['kafka', 'plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap], io)),
    );
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/to create/);
  });
});

describe('the Pulumi provider and the lease', () => {
  const orders = 'acme.retail.orders';
  const inputs = () => ({
    product: orders,
    principal: `User:${orders}`,
    topics: encodeTopics([topic(orders, `${orders}._public.placed`).properties]),
    acls: encodeAcls([ownerAcl(orders).properties]),
    allowDelete: false,
    allowDeletePrivate: false,
  });
  async function configure(): Promise<void> {
    for (const key of ENV) delete process.env[key];
    await provider.configure(providerConfig(broker.bootstrap));
  }

  it('refuses a write while another run holds the lease (MESHFORM_KAFKA_LEASE_WAIT=0), naming it', async () => {
    await configure();
    await plant(OTHER);
    process.env.MESHFORM_KAFKA_LEASE_WAIT = '0';
    await expect(provider.create(inputs())).rejects.toThrow(`meshform kafka (${orders}) at ${broker.bootstrap} (SASL plain as admin, TLS off): another meshform run is changing this cluster: ${OTHER.who}`);
    expect(await withAdmin(connection, (admin) => admin.listTopics())).toEqual([]);
  });

  it('reads the cluster again under the lease: a topic another run made after the snapshot is seen, not created twice', async () => {
    await configure();
    // A first write reads the snapshot; then another run (kafkajs here) creates the topic the next write declares.
    await provider.create({ ...inputs(), product: 'acme.x.first', principal: 'User:acme.x.first', topics: {}, acls: {} });
    await withAdmin(connection, (admin) => admin.createTopics({ topics: [{ topic: `${orders}._public.placed`, numPartitions: 3, replicationFactor: 1 }] }));
    await provider.create(inputs());
    expect(lastApplyOf(orders)).toBe('1 created, 0 updated, 0 deleted, 1 unchanged');
    expect(await leaseBindings()).toEqual([]);
  });
});
