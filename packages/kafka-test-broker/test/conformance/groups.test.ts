import { Admin } from 'kafkajs';
import type { TestBroker } from '../../src';
import { acl, aclToKafkajs } from '@meshform/peers/testing/clients/acl-names';
import { describeWithClients } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMissing, kcatOutput, kcatSasl } from '@meshform/peers/testing/clients/kcat';
import { SeenMessage } from '@meshform/peers/testing/clients/kcat-messages';
import { ADMIN, ALICE, startClusterWithAdmin, stopCluster, withSaslUsers } from './support/cluster';
import { PythonKafka, Step, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

interface GroupOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** Committed offsets of `groupId` as kafkajs reads them (OffsetFetch through kafkajs's own encoder). */
async function kafkajsGroupOffsets(admin: Admin, groupId: string, topic: string): Promise<GroupOffset[]> {
  const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
  return fetched.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: Number(p.offset) }))).sort((a, b) => a.partition - b.partition);
}

describeWithClients('consumer groups of kafka-python and kcat (librdkafka), offsets read back by every client', [pythonKafkaMissing(), kcatMissing()], () => {
  let broker: TestBroker;
  let python: PythonKafka;
  let admin: Admin;
  const asAdmin = <T>(step: Step) => python.value<T>(broker.bootstrap, step, ADMIN);

  async function topicWithMessages(topic: string): Promise<void> {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await asAdmin({
      op: 'produce',
      topic,
      messages: [
        { partition: 0, key: 'a', value: 'one' },
        { partition: 1, key: 'b', value: 'two' },
        { partition: 1, key: 'c', value: 'three' },
      ],
    });
  }

  const everything: SeenMessage[] = [
    { partition: 0, offset: 0, key: 'a', value: 'one' },
    { partition: 1, offset: 0, key: 'b', value: 'two' },
    { partition: 1, offset: 1, key: 'c', value: 'three' },
  ];
  const endOffsets = (topic: string): GroupOffset[] => [
    { topic, partition: 0, offset: 1 },
    { topic, partition: 1, offset: 2 },
  ];

  beforeAll(async () => {
    ({ broker, python, admin } = await startClusterWithAdmin(withSaslUsers(), ADMIN));
  });

  afterAll(() => stopCluster({ admin, python, broker }));

  it('a kafka-python group member reads everything and commits; kafkajs and kafka-python read the same offsets; the group then reads nothing', async () => {
    await topicWithMessages('py.group');
    expect(await asAdmin<SeenMessage[]>({ op: 'consume_group', topic: 'py.group', groupId: 'py-members', count: 3 })).toEqual(everything);
    expect(await asAdmin<GroupOffset[]>({ op: 'group_offsets', groupId: 'py-members' })).toEqual(endOffsets('py.group'));
    expect(await kafkajsGroupOffsets(admin, 'py-members', 'py.group')).toEqual(endOffsets('py.group'));
    expect(await asAdmin({ op: 'consume_group', topic: 'py.group', groupId: 'py-members', count: 1, timeoutMs: 1500 })).toEqual([]);
  });

  it('kcat -G reads everything once and commits; kafkajs and kafka-python read the same offsets', async () => {
    await topicWithMessages('kcat.group');
    const kcatGroup = ['-b', broker.bootstrap, '-G', 'kcat-members', '-J', '-e', '-q', '-X', 'auto.offset.reset=earliest', ...kcatSasl(ADMIN), 'kcat.group'];
    const first = (await kcatOutput(kcatGroup))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { partition: number; offset: number; key: string; payload: string })
      .map((m) => ({ partition: m.partition, offset: m.offset, key: m.key, value: m.payload }))
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(first).toEqual(everything);
    expect(await kafkajsGroupOffsets(admin, 'kcat-members', 'kcat.group')).toEqual(endOffsets('kcat.group'));
    expect(await asAdmin<GroupOffset[]>({ op: 'group_offsets', groupId: 'kcat-members' })).toEqual(endOffsets('kcat.group'));
    expect((await kcatOutput(kcatGroup)).trim()).toBe('');
  });

  it('a member without READ on the group is refused with 30 even with READ on the topic', async () => {
    await topicWithMessages('guarded.group');
    await admin.createAcls({
      acl: [aclToKafkajs(acl('User:alice', 'READ', 'guarded.group'))],
    });
    const [refused] = await python.run(broker.bootstrap, [{ op: 'consume_group', topic: 'guarded.group', groupId: 'alice-group', count: 1, timeoutMs: 2000 }], ALICE);
    expect(refused).toEqual({ ok: false, error: 'GroupAuthorizationFailedError', errno: 30 });

    await admin.createAcls({
      acl: [aclToKafkajs(acl('User:alice', 'READ', 'alice-group', { resourceType: 'GROUP' }))],
    });
    const granted = await python.value<SeenMessage[]>(broker.bootstrap, { op: 'consume_group', topic: 'guarded.group', groupId: 'alice-group', count: 3 }, ALICE);
    expect(granted).toEqual(everything);
  });
});
