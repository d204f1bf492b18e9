/**
 * Adopting an estate on real Kafka. The estate is built as each tool would have left it, with
 * kafka-python as the admin (topics with configs, each tool's style of ACLs, written here by hand
 * from the tools' documented behaviour, and records in the topics); the three tools' files are
 * imported into one folder; then `meshform kafka plan` must change no topic and delete no ACL (even
 * with --allow-delete), `kafka apply` must keep every ACL the estate had and add only ACLs without
 * effect on what exists (DESCRIBE beside READ/WRITE, which Kafka's authorizer implies, or prefixes
 * that reach no topic or group of the cluster), each principal keeps exactly its produce and
 * group-consume access (kafka-python as that principal), the records stay, and a second plan is a
 * no-op. Every check reads the cluster with kafka-python, never with meshform's client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { PythonKafka, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';
import { EstateClient, JULIEOPS, KAFKA_GITOPS, TERRAFORM, aclKey as key, cliAsAdmin as cli, estateOf, estateUsers, importEstate, login, probeWrites, type Acl } from './support/estate';

// A JulieOps + Terraform + kafka-gitops estate (written by hand in ./support/estate.ts from the tools' files).
const ESTATE = estateOf(JULIEOPS, TERRAFORM, KAFKA_GITOPS);
const { topics: TOPICS, writes: WRITES, reads: READS, principals: PRINCIPALS, groups: GROUPS } = ESTATE;

const skipPython = pythonKafkaMissing();

describeWithRealKafka('adopting a JulieOps + Terraform + kafka-gitops estate on real Kafka', () => {
  if (skipPython) {
    it.skip(`skipped: ${skipPython}`, () => undefined);
    return;
  }
  let kafka: RealKafka;
  let python: PythonKafka;
  let dir: string;
  let cwd: string;
  let before: Acl[];

  let estate: EstateClient;
  /** More kafka-python processes, so probes that wait for a refusal wait side by side. */
  let probes: EstateClient[] = [];
  const morePythons: PythonKafka[] = [];
  const admin = <T>(step: { op: string; [k: string]: unknown }) => estate.admin<T>(step);
  const acls = () => estate.acls();
  const latest = async (topic: string, partitions: number) => (await estate.offsets(topic, partitions)).latest;

  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: estateUsers(ESTATE), superUsers: ['User:admin'] });
    python = new PythonKafka();
    estate = new EstateClient(python, kafka.bootstrap);
    for (let i = 0; i < 3; i++) morePythons.push(new PythonKafka());
    probes = [estate, ...morePythons.map((p) => new EstateClient(p, kafka.bootstrap))];
    dir = mkdtempSync(join(tmpdir(), 'meshform-adopt-'));
    cwd = process.cwd();
    process.chdir(dir);
    before = await estate.build(ESTATE);
    await importEstate(ESTATE, kafka.bootstrap);
  }, REAL_KAFKA_START_MS + 120_000);

  afterAll(async () => {
    if (cwd) process.chdir(cwd);
    await python?.close();
    await Promise.all(morePythons.map((p) => p.close()));
    await kafka?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('import cluster: the live estate as a mesh, products by who writes; its plan changes no topic and deletes no ACL', async () => {
    const run = await cli('import', 'cluster', '--stack', 'estate', '--out', 'live', '--json');
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { products: Array<{ id: string; topics: Array<{ name: string; visibility: string; grants?: string[] }>; principals: string[]; groups: string[] }>; unmapped: Array<{ what: string }> };
    // By hand: each principal is a product of its own (nothing groups them on a cluster), owning what it writes.
    expect(json.products.map((p) => [p.id, p.principals, p.topics.map((t) => `${t.name} ${t.visibility} ${(t.grants ?? []).join(',')}`), p.groups])).toEqual([
      ['estate.fraud', ['User:fraud'], [], ['fraud-check']],
      ['estate.inventory-svc', ['User:inventory-svc'], ['inventory-levels protected estate.orders-svc'], []],
      ['estate.ledger-writer', ['User:ledger-writer'], ['payments.ledger protected estate.fraud'], ['ledger-writer-group']],
      ['estate.orders-auditor', ['User:orders-auditor'], [], ['orders-audit']],
      ['estate.orders-svc', ['User:orders-svc'], ['acme.erp.orders.audit protected estate.orders-auditor,estate.shipping-svc', 'acme.erp.orders.placed protected estate.shipping-svc'], ['orders-inventory-reader']],
      ['estate.payments-api', ['User:payments-api'], ['payments.authorised protected estate.fraud,estate.ledger-writer'], []],
      ['estate.shipping-svc', ['User:shipping-svc'], [], ['shipping-app']],
    ]);
    expect(json.unmapped.map((u) => u.what)).toEqual(['ALLOW User:orders-svc IDEMPOTENT_WRITE CLUSTER:LITERAL:kafka-cluster']);

    const plan = await cli('kafka', 'plan', 'live', '--stack', 'estate', '--allow-delete', '--json');
    expect([plan.code, plan.stderr]).toEqual([0, expect.any(String)]);
    const report = JSON.parse(plan.stdout) as { resources: Array<{ kind: string; topic?: string; state: string }> };
    expect(report.resources.filter((r) => r.kind === 'kafka:Topic').map((t) => [t.topic, t.state]).sort()).toEqual(TOPICS.map((t) => [t.name, 'UNCHANGED']).sort());
    expect(report.resources.filter((r) => r.state === 'DELETE' || r.state === 'REFUSED')).toEqual([]);
  }, 60_000);

  it('the first plan changes no topic and deletes no ACL, even with --allow-delete', async () => {
    const run = await cli('kafka', 'plan', 'mesh', '--stack', 'estate', '--allow-delete', '--json');
    expect([run.code, run.stderr]).toEqual([0, expect.any(String)]);
    const report = JSON.parse(run.stdout) as { resources: Array<{ kind: string; topic?: string; state: string }> };
    const topics = report.resources.filter((r) => r.kind === 'kafka:Topic');
    expect(topics.map((t) => [t.topic, t.state]).sort()).toEqual(TOPICS.map((t) => [t.name, 'UNCHANGED']).sort());
    expect(report.resources.filter((r) => r.state === 'DELETE' || r.state === 'REFUSED')).toEqual([]);
  }, 60_000);

  it('apply keeps every ACL of the estate and adds none with an effect on what exists; access is exactly the estate\'s; records stay; a second plan is a no-op', async () => {
    const run = await cli('kafka', 'apply', 'mesh', '--stack', 'estate', '--yes', '--json');
    expect([run.code, JSON.parse(run.stdout).summary.failed]).toEqual([0, 0]);

    const after = await acls();
    // apply reads back what it wrote, so the broker shows it now.
    const had = new Set(before.map(key));
    expect(before.filter((a) => !after.some((b) => key(b) === key(a)))).toEqual([]);
    const topics = await admin<string[]>({ op: 'list_topics' });
    const added = after.filter((a) => !had.has(key(a)));
    expect(added.length).toBeGreaterThan(0);
    for (const a of added) {
      const implied =
        a.permission === 'ALLOW' && a.operation === 'DESCRIBE' && a.resourceType === 'TOPIC' && a.pattern === 'LITERAL' &&
        before.some((b) => b.principal === a.principal && b.resourceType === 'TOPIC' && b.name === a.name && (b.operation === 'READ' || b.operation === 'WRITE'));
      const reachesNothing = a.pattern === 'PREFIXED' && ![...topics, ...GROUPS, 'orders-tx'].some((n) => n.startsWith(a.name));
      expect([key(a), implied || reachesNothing || a.permission === 'DENY']).toEqual([key(a), true]);
    }

    // Produce: each principal writes what it wrote and nothing else of the estate. Principals probe
    // side by side (one kafka-python process each at a time); where a refusal is expected the producer
    // waits 2 s for metadata a principal without DESCRIBE never gets (a widened right answers at once).
    const produced = await probeWrites(probes, PRINCIPALS, () => TOPICS.map((t) => t.name), (user, topic) => (WRITES[user] ?? []).includes(topic));
    expect(produced.length).toBe(PRINCIPALS.length * TOPICS.length);
    for (const [user, topic, wrote] of produced) expect([user, topic, wrote]).toEqual([user, topic, (WRITES[user] ?? []).includes(topic)]);
    // Consume with its group: the 2 records and the producers' probes are there to read.
    for (const [user, topic, groupId] of READS) {
      const [read] = await python.run(kafka.bootstrap, [{ op: 'consume_group', topic, groupId, count: 3, timeoutMs: 15_000 }], login(user));
      expect([user, topic, read.ok]).toEqual([user, topic, true]);
      expect([user, topic, (read as { value: unknown[] }).value.length]).toEqual([user, topic, 3]);
    }
    // Not widened: a reader of one topic cannot read another, nor read with another principal's group (neither
    // group has committed offsets on that topic, so a permitted read would return its records from the start).
    const [auditorOnPlaced] = await python.run(kafka.bootstrap, [{ op: 'consume_group', topic: 'acme.erp.orders.placed', groupId: 'orders-audit', count: 1, timeoutMs: 8_000 }], login('orders-auditor'));
    // kafka-python's group consumer logs an authorization failure on a subscribed topic and reads nothing.
    expect(!auditorOnPlaced.ok || (auditorOnPlaced.value as unknown[]).length === 0).toBe(true);
    const [fraudWithLedgerGroup] = await python.run(kafka.bootstrap, [{ op: 'consume_group', topic: 'payments.ledger', groupId: 'ledger-writer-group', count: 1, timeoutMs: 8_000 }], login('fraud'));
    expect(!fraudWithLedgerGroup.ok || (fraudWithLedgerGroup.value as unknown[]).length === 0).toBe(true);

    // Records: the 2 written before the import plus each probe of its producer.
    for (const t of TOPICS) {
      const probes = Object.entries(WRITES).filter(([, ts]) => ts.includes(t.name)).length;
      expect([t.name, await latest(t.name, t.partitions)]).toEqual([t.name, 2 + probes]);
    }

    const again = await cli('kafka', 'plan', 'mesh', '--stack', 'estate', '--json');
    expect(JSON.parse(again.stdout).summary).toEqual(expect.objectContaining({ create: 0, update: 0, delete: 0, refused: 0 }));
  }, 240_000);
});
