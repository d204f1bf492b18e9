/**
 * DescribeClientQuotas (48) and AlterClientQuotas (49), versions 0 and 1, through a bare wire
 * connection (kafkajs has neither API). Expected answers are written by hand from Kafka's
 * ClientQuotaControlManager and ClientQuotasImage; meshform's own client is held to real Kafka's
 * answers in its differential test (test/kafka/client-quotas.test.ts of the meshform package).
 */
import { withBroker } from '../with-broker';
import { WireClient } from '../wire-client';

type Entity = Array<{ entityType: string; entityName: string | null }>;
type Described = { errorCode: number; errorMessage: string | null; entries: Array<{ entity: Entity; values: Array<{ key: string; value: number }> }> | null };
type Altered = { entries: Array<{ errorCode: number; errorMessage: string | null; entity: Entity }> };

const user = (name: string | null): Entity => [{ entityType: 'user', entityName: name }];
const set = (key: string, value: number) => ({ key, value, remove: false });
const remove = (key: string) => ({ key, value: 0, remove: true });
const byName = (d: Described) =>
  Object.fromEntries((d.entries ?? []).map((e) => [e.entity.map((x) => `${x.entityType}=${x.entityName}`).sort().join(','), Object.fromEntries(e.values.map((v) => [v.key, v.value]))]));

describe.each([0, 1])('client quotas, version %i', (version) => {
  it('sets, describes, changes and removes quotas per entity; a filter by type, exact name, default, strict or not', async () => {
    await withBroker({}, async (broker) => {
      const wire = await WireClient.open(broker.bootstrap);
      try {
        const alter = (entries: Array<{ entity: Entity; ops: object[] }>, validateOnly = false) => wire.request<Altered>(49, version, { entries, validateOnly });
        const describe = (components: object[], strict: boolean) => wire.request<Described>(48, version, { components, strict });
        const done = await alter([
          { entity: user('acme.a'), ops: [set('producer_byte_rate', 1048576), set('request_percentage', 12.5)] },
          { entity: user(null), ops: [set('consumer_byte_rate', 1000)] },
          { entity: [...user('acme.a'), { entityType: 'client-id', entityName: 'app' }], ops: [set('producer_byte_rate', 10)] },
        ]);
        expect(done.entries.map((e) => [e.errorCode, e.errorMessage])).toEqual([[0, null], [0, null], [0, null]]);

        const anyUser = { entityType: 'user', matchType: 2, match: null };
        expect(byName(await describe([anyUser], true))).toEqual({ 'user=acme.a': { producer_byte_rate: 1048576, request_percentage: 12.5 }, 'user=null': { consumer_byte_rate: 1000 } });
        expect(Object.keys(byName(await describe([anyUser], false))).sort()).toEqual(['client-id=app,user=acme.a', 'user=acme.a', 'user=null']);
        expect(byName(await describe([{ entityType: 'user', matchType: 0, match: 'acme.a' }], true))).toEqual({ 'user=acme.a': { producer_byte_rate: 1048576, request_percentage: 12.5 } });
        expect(byName(await describe([{ entityType: 'user', matchType: 1, match: null }], true))).toEqual({ 'user=null': { consumer_byte_rate: 1000 } });
        expect(Object.keys(byName(await describe([], false)))).toHaveLength(3);
        expect(byName(await describe([], true))).toEqual({});

        // Validate only changes nothing; removing the last key removes the entity.
        await alter([{ entity: user('acme.a'), ops: [set('producer_byte_rate', 5)] }], true);
        expect(byName(await describe([{ entityType: 'user', matchType: 0, match: 'acme.a' }], true))['user=acme.a'].producer_byte_rate).toBe(1048576);
        await alter([{ entity: user('acme.a'), ops: [remove('producer_byte_rate'), remove('request_percentage'), remove('consumer_byte_rate')] }]);
        expect(byName(await describe([{ entityType: 'user', matchType: 0, match: 'acme.a' }], true))).toEqual({});
      } finally {
        wire.close();
      }
    });
  });

  it('refuses what Kafka refuses, per entry: unknown keys, fractions of a long, unknown or repeated types, empty names, repeated keys', async () => {
    await withBroker({}, async (broker) => {
      const wire = await WireClient.open(broker.bootstrap);
      try {
        const res = await wire.request<Altered>(49, version, {
          entries: [
            { entity: user('a'), ops: [set('producer_bytes_rate', 1)] },
            { entity: user('b'), ops: [set('consumer_byte_rate', 1.5)] },
            { entity: [{ entityType: 'group', entityName: 'g' }], ops: [set('producer_byte_rate', 1)] },
            { entity: user(''), ops: [set('producer_byte_rate', 1)] },
            { entity: user('c'), ops: [set('producer_byte_rate', 1), set('producer_byte_rate', 2)] },
            { entity: user('d'), ops: [set('request_percentage', 0.5)] },
          ],
          validateOnly: false,
        });
        expect(res.entries.map((e) => [e.errorCode, e.errorMessage])).toEqual([
          [42, 'Invalid configuration key producer_bytes_rate'],
          [42, 'Configuration consumer_byte_rate must be a Long value'],
          [42, 'Unhandled client quota entity type: group'],
          [42, 'Empty user not supported'],
          [42, 'Duplicate quota key producer_byte_rate not updating quota for this entity'],
          [0, null],
        ]);
        const bad = await wire.request<Described>(48, version, { components: [{ entityType: 'user', matchType: 0, match: null }], strict: false });
        expect([bad.errorCode, bad.entries]).toEqual([42, null]);
        const twice = await wire.request<Described>(48, version, { components: [{ entityType: 'user', matchType: 2, match: null }, { entityType: 'user', matchType: 1, match: null }], strict: false });
        expect(twice.errorMessage).toBe('Entity type user cannot appear more than once in the filter.');
      } finally {
        wire.close();
      }
    });
  });

  it('needs DESCRIBE_CONFIGS (describe) and ALTER_CONFIGS (alter) on the cluster', async () => {
    await withBroker({ authorizer: true }, async (broker) => {
      const wire = await WireClient.open(broker.bootstrap);
      try {
        const d = await wire.request<Described>(48, version, { components: [], strict: false });
        expect([d.errorCode, d.entries]).toEqual([31, null]);
        const a = await wire.request<Altered>(49, version, { entries: [{ entity: user('x'), ops: [set('producer_byte_rate', 1)] }], validateOnly: false });
        expect(a.entries.map((e) => [e.errorCode, e.entity])).toEqual([[31, user('x')]]);
      } finally {
        wire.close();
      }
    });
  });
});
