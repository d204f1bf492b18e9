import type { TestBroker } from '../../src';
import { describeWithClients } from '@meshform/peers/testing/clients/kafkajs';
import { acl, type NamedAcl } from '@meshform/peers/testing/clients/acl-names';
import { ADMIN, ALICE, startCluster, stopCluster, withSaslUsers } from './support/cluster';
import { PythonKafka, Step, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

describeWithClients('kafka-python SASL PLAIN and ACLs against a broker with an authorizer', [pythonKafkaMissing()], () => {
  let broker: TestBroker;
  let python: PythonKafka;
  const asAdmin = (steps: Step[]) => python.run(broker.bootstrap, steps, ADMIN);
  const asAlice = (steps: Step[]) => python.run(broker.bootstrap, steps, ALICE);
  const adminValue = async <T>(step: Step): Promise<T> => python.value<T>(broker.bootstrap, step, ADMIN);

  beforeAll(async () => {
    ({ broker, python } = await startCluster(withSaslUsers()));
  });

  afterAll(() => stopCluster({ python, broker }));

  afterEach(async () => {
    await adminValue({ op: 'delete_acls', filters: [{}] });
    const topics = await adminValue<string[]>({ op: 'list_topics' });
    if (topics.length > 0) await adminValue({ op: 'delete_topics', topics });
  });

  it('create_acls, describe_acls (filters) and delete_acls round trip for a super user', async () => {
    const bindings = [
      acl('User:alice', 'READ', 'acme.', { pattern: 'PREFIXED' }),
      acl('User:alice', 'WRITE', 'acme.', { pattern: 'PREFIXED' }),
      acl('User:*', 'DESCRIBE', 'acme.orders'),
      acl('User:alice', 'READ', 'acme-group', { resourceType: 'GROUP' }),
      acl('User:alice', 'IDEMPOTENT_WRITE', 'kafka-cluster', { resourceType: 'CLUSTER' }),
      acl('User:mallory', 'READ', '*', { permission: 'DENY' }),
    ];
    expect(await adminValue({ op: 'create_acls', acls: bindings })).toEqual({ succeeded: bindings, failed: [] });

    const sortKey = (a: NamedAcl) => JSON.stringify(a);
    const all = await adminValue<{ error: string; acls: NamedAcl[] }>({ op: 'describe_acls', filter: {} });
    expect(all.error).toBe('NoError');
    expect(all.acls.map(sortKey).sort()).toEqual(bindings.map(sortKey).sort());

    const [byPrincipal, prefixed, matching] = await asAdmin([
      { op: 'describe_acls', filter: { principal: 'User:alice' } },
      { op: 'describe_acls', filter: { resourceType: 'TOPIC', pattern: 'PREFIXED' } },
      // MATCH finds every binding that applies to the named topic: the prefix, the literal name and '*'.
      { op: 'describe_acls', filter: { resourceType: 'TOPIC', name: 'acme.orders', pattern: 'MATCH' } },
    ]);
    const names = (r: typeof byPrincipal) => (r.ok ? (r.value as { acls: NamedAcl[] }).acls.map((a) => `${a.principal} ${a.operation} ${a.name}`).sort() : r.error);
    expect(names(byPrincipal)).toEqual(['User:alice IDEMPOTENT_WRITE kafka-cluster', 'User:alice READ acme-group', 'User:alice READ acme.', 'User:alice WRITE acme.']);
    expect(names(prefixed)).toEqual(['User:alice READ acme.', 'User:alice WRITE acme.']);
    expect(names(matching)).toEqual(['User:* DESCRIBE acme.orders', 'User:alice READ acme.', 'User:alice WRITE acme.', 'User:mallory READ *']);

    const [deleted] = await adminValue<Array<{ error: string; deleted: Array<NamedAcl & { error: string }> }>>({
      op: 'delete_acls',
      filters: [{ resourceType: 'TOPIC', pattern: 'PREFIXED' }],
    });
    expect(deleted.error).toBe('NoError');
    expect(deleted.deleted.map((a) => `${a.operation} ${a.name} ${a.error}`).sort()).toEqual(['READ acme. NoError', 'WRITE acme. NoError']);
    expect((await adminValue<{ acls: NamedAcl[] }>({ op: 'describe_acls', filter: {} })).acls).toHaveLength(4);
  });

  it('a non-super user without ACLs gets authorization errors: topic 29, cluster 31', async () => {
    await adminValue({ op: 'create_topics', topics: [{ name: 'owned.by.admin' }] });
    const [create, list, describeTopic, deleteTopic, describeConfigs, alterConfigs, createAcls, describeAcls, deleteAcls] = await asAlice([
      { op: 'create_topics', topics: [{ name: 'alice.t' }] },
      { op: 'list_topics' },
      { op: 'describe_topics', topics: ['owned.by.admin'] },
      { op: 'delete_topics', topics: ['owned.by.admin'] },
      { op: 'describe_configs', resources: [{ type: 'TOPIC', name: 'owned.by.admin' }] },
      { op: 'alter_configs', resources: [{ type: 'TOPIC', name: 'owned.by.admin', configs: { 'retention.ms': '1' } }] },
      { op: 'create_acls', acls: [acl('User:alice', 'ALL', '*')] },
      { op: 'describe_acls', filter: {} },
      { op: 'delete_acls', filters: [{}] },
    ]);
    expect(create).toEqual({ ok: false, error: 'TopicAuthorizationFailedError', errno: 29 });
    expect(list).toEqual({ ok: true, value: [] });
    expect(describeTopic).toEqual({ ok: true, value: [expect.objectContaining({ name: 'owned.by.admin', error: 'TopicAuthorizationFailedError', partitions: [] })] });
    expect(deleteTopic).toEqual({ ok: false, error: 'TopicAuthorizationFailedError', errno: 29 });
    expect(describeConfigs).toEqual({ ok: true, value: [expect.objectContaining({ error: 'TopicAuthorizationFailedError', entries: {} })] });
    expect(alterConfigs).toEqual({ ok: true, value: { 'owned.by.admin': 'TopicAuthorizationFailedError' } });
    expect(createAcls).toEqual({ ok: true, value: { succeeded: [], failed: [{ acl: acl('User:alice', 'ALL', '*'), error: 'ClusterAuthorizationFailedError', errno: 31 }] } });
    expect(describeAcls).toEqual({ ok: false, error: 'ClusterAuthorizationFailedError', errno: 31 });
    expect(deleteAcls).toEqual({ ok: true, value: [{ error: 'ClusterAuthorizationFailedError', deleted: [] }] });
    // Nothing changed behind the refusals.
    expect(await adminValue<string[]>({ op: 'list_topics' })).toEqual(['owned.by.admin']);
  });

  it('grants take effect: PREFIXED CREATE lets alice create only under her prefix; DESCRIBE decides what she lists', async () => {
    await adminValue({
      op: 'create_acls',
      acls: [acl('User:alice', 'CREATE', 'alice.', { pattern: 'PREFIXED' }), acl('User:alice', 'DESCRIBE', 'alice.', { pattern: 'PREFIXED' })],
    });
    await adminValue({ op: 'create_topics', topics: [{ name: 'bob.t' }, { name: 'alicex' }] });
    const [own, foreign, listed] = await asAlice([
      { op: 'create_topics', topics: [{ name: 'alice.t', partitions: 2 }] },
      { op: 'create_topics', topics: [{ name: 'bob.t2' }] },
      { op: 'list_topics' },
    ]);
    expect(own).toEqual({ ok: true, value: { 'alice.t': 'NoError' } });
    expect(foreign).toEqual({ ok: false, error: 'TopicAuthorizationFailedError', errno: 29 });
    // 'alicex' does not start with the prefix 'alice.': hidden, like every other topic alice may not describe.
    expect(listed).toEqual({ ok: true, value: ['alice.t'] });
  });

  it('DENY beats ALLOW and READ implies DESCRIBE', async () => {
    await adminValue({ op: 'create_topics', topics: [{ name: 'shared.a' }, { name: 'shared.secret' }, { name: 'readable' }] });
    await adminValue({
      op: 'create_acls',
      acls: [
        acl('User:alice', 'DESCRIBE', 'shared.', { pattern: 'PREFIXED' }),
        acl('User:*', 'DESCRIBE', 'shared.secret', { permission: 'DENY' }),
        acl('User:alice', 'READ', 'readable'),
      ],
    });
    expect(await python.value(broker.bootstrap, { op: 'list_topics' }, ALICE)).toEqual(['readable', 'shared.a']);
  });

  it('SASL PLAIN with a wrong password or an unknown user cannot connect; the right password can', async () => {
    const [wrongPassword] = await python.run(broker.bootstrap, [{ op: 'list_topics' }], { username: 'alice', password: 'not-alice-pw' });
    const [unknownUser] = await python.run(broker.bootstrap, [{ op: 'list_topics' }], { username: 'eve', password: 'alice-pw' });
    // kafka-python 2.0.2 authenticates with SaslHandshake v0 + raw PLAIN tokens; the broker closes the connection on failure, as Kafka does.
    expect(wrongPassword).toEqual({ ok: false, error: 'NoBrokersAvailable', errno: null });
    expect(unknownUser).toEqual({ ok: false, error: 'NoBrokersAvailable', errno: null });
    expect((await asAlice([{ op: 'list_topics' }]))[0].ok).toBe(true);
  });
});
