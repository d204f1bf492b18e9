import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BrokerProcess } from './support/broker-process';
import { describeWithClients, viewFromKcat } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMetadata, kcatMissing, kcatSasl } from '@meshform/peers/testing/clients/kcat';
import { ADMIN, ALICE } from './support/cluster';
import { PythonKafka, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

describeWithClients('the kafka-test-broker bin (--brokers 3 --sasl-users) serves kafka-python and kcat', [pythonKafkaMissing(), kcatMissing()], () => {
  let dir: string;
  let broker: BrokerProcess;
  let python: PythonKafka;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conformance-bin-'));
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ admin: ADMIN.password, alice: ALICE.password }));
    broker = await BrokerProcess.start(['--port', '0', '--brokers', '3', '--sasl-users', users, '--super-users', 'User:admin']);
    python = new PythonKafka();
  });

  afterAll(async () => {
    await python?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates topics with RF up to the broker count, refuses RF 4 with 38, and reports request counts on SIGTERM', async () => {
    const [created, tooMany] = await python.run(
      broker.bootstrap,
      [
        { op: 'create_topics', topics: [{ name: 'bin.rf3', partitions: 3, replicationFactor: 3 }] },
        { op: 'create_topics', topics: [{ name: 'bin.rf4', replicationFactor: 4 }] },
      ],
      ADMIN,
    );
    expect(created).toEqual({ ok: true, value: { 'bin.rf3': 'NoError' } });
    expect(tooMany).toEqual({ ok: false, error: 'InvalidReplicationFactorError', errno: 38 });

    const view = viewFromKcat(await kcatMetadata(broker.bootstrap, kcatSasl(ADMIN)));
    expect(view.brokers.map((b) => b.nodeId)).toEqual([0, 1, 2]);
    expect(view.brokers[0].address).toBe(broker.bootstrap);
    expect(view.topics).toEqual([{ name: 'bin.rf3', partitions: expect.any(Array) }]);
    for (const p of view.topics[0].partitions) expect([...p.replicas].sort()).toEqual([0, 1, 2]);

    // Without a DESCRIBE grant, alice (not a super user) sees no topic at all.
    expect(viewFromKcat(await kcatMetadata(broker.bootstrap, kcatSasl({ username: 'alice', password: 'alice-pw' }))).topics).toEqual([]);

    await python.close();
    const stopped = await broker.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toHaveLength(1);
    const stats = JSON.parse(stopped.stdout[0]) as { requests: Record<string, number> };
    expect(stats.requests.CreateTopics).toBe(2);
    expect(stats.requests.Metadata).toBeGreaterThanOrEqual(2);
    expect(stats.requests.SaslHandshake).toBeGreaterThanOrEqual(3);
    expect(stopped.stderr).not.toContain('admin-pw');
  });
});
