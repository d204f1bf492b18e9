import { ConfigResourceTypes } from 'kafkajs';
import { kafkaErrorOf, suiteBroker } from '../kafka';
import { WireClient } from '../wire-client';

const TOPIC = ConfigResourceTypes.TOPIC;

describe('topic configs', () => {
  const suite = suiteBroker();

  async function entries(topic: string, configNames?: string[], includeSynonyms = false) {
    const res = await suite.admin.describeConfigs({ resources: [{ type: TOPIC, name: topic, configNames }], includeSynonyms });
    return Object.fromEntries(res.resources[0].configEntries.map((e) => [e.configName, e]));
  }

  it('tells a set value (DYNAMIC_TOPIC_CONFIG) from a default (DEFAULT_CONFIG)', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'described', configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const all = await entries('described');
    expect(all['retention.ms']).toMatchObject({ configValue: '3600000', isDefault: false, configSource: 1, readOnly: false });
    expect(all['cleanup.policy']).toMatchObject({ configValue: 'delete', isDefault: true, configSource: 5 });
    expect(all['max.message.bytes']).toMatchObject({ configValue: '1048588', isDefault: true });
    expect(Object.keys(all).length).toBeGreaterThan(30);
  });

  it('returns only the asked keys, and synonyms only when asked', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'synonyms', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const plain = await entries('synonyms', ['cleanup.policy', 'segment.ms']);
    expect(Object.keys(plain).sort()).toEqual(['cleanup.policy', 'segment.ms']);
    expect(plain['cleanup.policy'].configSynonyms).toEqual([]);
    const withSynonyms = await entries('synonyms', ['cleanup.policy'], true);
    expect(withSynonyms['cleanup.policy'].configSynonyms).toEqual([
      { configName: 'cleanup.policy', configValue: 'compact', configSource: 1 },
      { configName: 'log.cleanup.policy', configValue: 'delete', configSource: 5 },
    ]);
  });

  it('treats an empty key list like null: every key, as Kafka does', async () => {
    const wire = await WireClient.open(suite.broker.bootstrap);
    const res = await wire.request<{ results: Array<{ errorCode: number; configs: unknown[] }> }>(32, 1, { resources: [{ resourceType: 2, resourceName: 'described', configurationKeys: [] }] });
    wire.close();
    expect(res.results[0].configs.length).toBeGreaterThan(30);
  });

  it('reports isDefault itself in DescribeConfigs v0 and config types in v3+', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'versions', configEntries: [{ name: 'min.insync.replicas', value: '1' }] }] });
    const wire = await WireClient.open(suite.broker.bootstrap);
    type Res = { results: Array<{ configs: Array<{ name: string; isDefault: boolean; configType: number }> }> };
    const v0 = await wire.request<Res>(32, 0, { resources: [{ resourceType: 2, resourceName: 'versions', configurationKeys: ['min.insync.replicas', 'retention.ms'] }] });
    const v4 = await wire.request<Res>(32, 4, { resources: [{ resourceType: 2, resourceName: 'versions', configurationKeys: ['retention.ms', 'cleanup.policy'] }], includeSynonyms: false, includeDocumentation: false });
    wire.close();
    expect(v0.results[0].configs.map((c) => [c.name, c.isDefault])).toEqual([['min.insync.replicas', false], ['retention.ms', true]]);
    expect(v4.results[0].configs.map((c) => [c.name, c.configType])).toEqual([['cleanup.policy', 7], ['retention.ms', 5]]);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION (3) for a missing topic', async () => {
    expect(await kafkaErrorOf(suite.admin.describeConfigs({ resources: [{ type: TOPIC, name: 'ghost' }], includeSynonyms: false }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('describes the static broker configs as read-only', async () => {
    const res = await suite.admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configNames: ['broker.id', 'log.retention.ms'] }], includeSynonyms: false });
    const byName = Object.fromEntries(res.resources[0].configEntries.map((e) => [e.configName, e]));
    expect(byName['broker.id']).toMatchObject({ configValue: '0', readOnly: true });
    expect(byName['log.retention.ms']).toMatchObject({ configValue: '604800000', isDefault: true });
  });

  it('AlterConfigs replaces the whole set: keys left out return to their defaults', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'replaced', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    await suite.admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'replaced', configEntries: [{ name: 'cleanup.policy', value: 'compact,delete' }] }] });
    const after = await entries('replaced', ['retention.ms', 'cleanup.policy']);
    expect(after['cleanup.policy']).toMatchObject({ configValue: 'compact,delete', isDefault: false });
    expect(after['retention.ms']).toMatchObject({ configValue: '604800000', isDefault: true });
  });

  it('AlterConfigs validateOnly changes nothing; invalid keys and values are INVALID_CONFIG (40)', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'guarded', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    await suite.admin.alterConfigs({ validateOnly: true, resources: [{ type: TOPIC, name: 'guarded', configEntries: [{ name: 'retention.ms', value: '5' }] }] });
    expect((await entries('guarded', ['retention.ms']))['retention.ms'].configValue).toBe('1000');
    for (const bad of [{ name: 'retention.mss', value: '1' }, { name: 'segment.bytes', value: '10' }, { name: 'preallocate', value: 'maybe' }]) {
      expect(await kafkaErrorOf(suite.admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'guarded', configEntries: [bad] }] }))).toBe('INVALID_CONFIG');
    }
    expect((await entries('guarded', ['retention.ms']))['retention.ms'].configValue).toBe('1000');
    expect(await kafkaErrorOf(suite.admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'ghost', configEntries: [] }] }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('IncrementalAlterConfigs sets, deletes, appends and subtracts single keys', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'incremental', configEntries: [{ name: 'retention.ms', value: '1000' }, { name: 'segment.ms', value: '5000' }] }] });
    const wire = await WireClient.open(suite.broker.bootstrap);
    type Res = { responses: Array<{ errorCode: number; errorMessage: string | null }> };
    const alter = (configs: Array<{ name: string; configOperation: number; value: string | null }>, version = 1) =>
      wire.request<Res>(44, version, { resources: [{ resourceType: 2, resourceName: 'incremental', configs }], validateOnly: false });
    expect((await alter([{ name: 'max.message.bytes', configOperation: 0, value: '2000' }, { name: 'segment.ms', configOperation: 1, value: null }], 0)).responses[0].errorCode).toBe(0);
    expect((await alter([{ name: 'cleanup.policy', configOperation: 2, value: 'compact' }])).responses[0].errorCode).toBe(0);
    let now = await entries('incremental', ['retention.ms', 'segment.ms', 'max.message.bytes', 'cleanup.policy']);
    expect(now['retention.ms'].configValue).toBe('1000');
    expect(now['segment.ms']).toMatchObject({ configValue: '604800000', isDefault: true });
    expect(now['max.message.bytes'].configValue).toBe('2000');
    expect(now['cleanup.policy'].configValue).toBe('delete,compact');
    expect((await alter([{ name: 'cleanup.policy', configOperation: 3, value: 'delete' }])).responses[0].errorCode).toBe(0);
    now = await entries('incremental', ['cleanup.policy']);
    expect(now['cleanup.policy'].configValue).toBe('compact');
    const appendToScalar = await alter([{ name: 'retention.ms', configOperation: 2, value: '5' }]);
    expect(appendToScalar.responses[0]).toEqual({ errorCode: 40, errorMessage: 'Config value append is not allowed for config key: retention.ms', resourceType: 2, resourceName: 'incremental' });
    expect((await alter([{ name: 'no.such.key', configOperation: 0, value: '1' }])).responses[0].errorCode).toBe(40);
    expect((await alter([{ name: 'retention.ms', configOperation: 0, value: '1' }, { name: 'retention.ms', configOperation: 1, value: null }])).responses[0].errorCode).toBe(42);
    wire.close();
  });
});
