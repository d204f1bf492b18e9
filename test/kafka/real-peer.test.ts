/**
 * The real Kafka peer as its users meet it: `npm run -s peers -- kafka` in the foreground, and
 * startRealKafka for the suites. Checked with three clients we did not write: kafkajs, kcat
 * (librdkafka) and kafka-python.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { kcatMissing, kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';
import { PythonKafka, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';
import { PEERS_REQUIRED } from '@meshform/peers/testing/peers';
import { describeWithRealKafka, REAL_KAFKA_START_MS, startRealKafka } from '@meshform/peers/testing/real-kafka';

const ROOT = join(__dirname, '..', '..');
const ADMIN = { username: 'admin', password: 'admin "pw" = 1' };
const ORDERS = { username: 'acme.retail.orders', password: 'orders-pw' };

function kafkajs(bootstrap: string, user: { username: string; password: string }) {
  return new Kafka({ brokers: [bootstrap], clientId: 'peer-test', logLevel: logLevel.NOTHING, retry: { retries: 1 }, sasl: { mechanism: 'plain', ...user } });
}

/** The data folder the JVM was started with (its first program argument after the class name). */
function dataDirOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args[args.indexOf('MeshformKafka') + 1];
}

describeWithRealKafka('npm run -s peers -- kafka', () => {
  it('prints listening on, serves kafkajs, kcat and kafka-python under SASL with ACLs, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshform-peer-test-'));
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ [ADMIN.username]: ADMIN.password, [ORDERS.username]: ORDERS.password }));
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'packages', 'peers', 'src', 'main.ts'), 'kafka', '--port', '0', '--sasl-users', users, '--super-users', 'User:admin'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const bootstrap = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const m = /^listening on (127\.0\.0\.1:\d+)$/.exec(line);
          if (m) resolve(m[1]);
        });
        void exited.then((code) => reject(new Error(`peers kafka exited ${code} before listening: ${stderr}`)));
      });

      // kafkajs admin (a super user): a topic and one product's WRITE + READ on it.
      const admin = kafkajs(bootstrap, ADMIN).admin();
      await admin.connect();
      const topic = 'acme.retail.orders._public.placed';
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] })).toBe(true);
      const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = await import('kafkajs');
      await admin.createAcls({
        acl: ['WRITE', 'READ', 'DESCRIBE'].map((op) => ({
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: `User:${ORDERS.username}`,
          host: '*',
          operation: AclOperationTypes[op as 'READ'],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      });
      await admin.disconnect();

      // kafkajs producer as the product.
      const producer = kafkajs(bootstrap, ORDERS).producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k1', value: 'from kafkajs' }] });
      await producer.disconnect();

      // kcat (librdkafka) produces as the product and reads both messages back.
      if (!kcatMissing()) {
        const sasl = kcatSasl(ORDERS);
        const produced = await runKcat(['-b', bootstrap, ...sasl, '-P', '-t', topic, '-K:', '-m', '10'], 'k2:from kcat\n');
        expect(produced.code).toBe(0);
        const consumed = await runKcat(['-b', bootstrap, ...sasl, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n', '-m', '10']);
        expect(consumed.stdout.trim().split('\n')).toEqual(['k1=from kafkajs', 'k2=from kcat']);
        // Without an ACL on the topic, the product is refused.
        const refused = await runKcat(['-b', bootstrap, ...sasl, '-P', '-t', 'acme.retail.orders._public.other', '-m', '10'], 'x\n');
        expect(refused.code).not.toBe(0);
      } else if (PEERS_REQUIRED) throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${kcatMissing()}`);
      else console.warn(`kcat part skipped: ${kcatMissing()}`);

      // kafka-python lists the topic and reads the messages as the admin.
      if (!pythonKafkaMissing()) {
        const python = new PythonKafka();
        try {
          expect(await python.value(bootstrap, { op: 'list_topics' }, ADMIN)).toEqual([topic]);
          const records = await python.value<{ value: string }[]>(bootstrap, { op: 'consume', topic, partitions: [0], count: 1 }, ADMIN);
          expect(records[0].value).toBe('from kafkajs');
        } finally {
          await python.close();
        }
      } else if (PEERS_REQUIRED) throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${pythonKafkaMissing()}`);
      else console.warn(`kafka-python part skipped: ${pythonKafkaMissing()}`);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Nothing listens any more.
      const gone = kafkajs(bootstrap, ADMIN).admin();
      await expect(gone.connect()).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, REAL_KAFKA_START_MS);
});

describeWithRealKafka('startRealKafka', () => {
  it('starts three brokers on free ports, all of them listed by kafkajs, and deletes the data on stop', async () => {
    const kafka = await startRealKafka({ brokers: 3 });
    const data = dataDirOf(kafka.pid);
    expect(existsSync(data)).toBe(true);
    const admin = new Kafka({ brokers: [kafka.brokers[2]], clientId: 'peer-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...kafka.brokers].sort());
      expect(await admin.createTopics({ topics: [{ topic: 'replicated', numPartitions: 3, replicationFactor: 3 }] })).toBe(true);
      const [described] = (await admin.fetchTopicMetadata({ topics: ['replicated'] })).topics;
      expect(described.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
    } finally {
      await admin.disconnect();
    }
    await kafka.stop();
    expect(existsSync(data)).toBe(false);
    await kafka.stop();
  }, REAL_KAFKA_START_MS);

  it('fails a start that cannot succeed with Kafka\'s last log lines, and leaves nothing running', async () => {
    // 24 MB of heap cannot hold a broker: the JVM dies and says why.
    await expect(startRealKafka({ heapMb: 24 })).rejects.toThrow(/Kafka did not start: [\s\S]*last log lines:\n[\s\S]*(OutOfMemoryError|heap)/);
  }, REAL_KAFKA_START_MS);
});
