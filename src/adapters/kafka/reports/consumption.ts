/**
 * `meshform kafka consumption`: per consumer product and group, the lag on each topic. Groups come
 * from ListGroups on every broker (each lists the groups it coordinates, so the answer also says
 * where to send OffsetFetch), committed offsets from OffsetFetch for all topics, end offsets from
 * ListOffsets. A group belongs to the product whose group prefix (`<id>.` or `<id>-`, the owner's
 * GROUP ACL prefixes) it starts with; the longest such id wins, as for nested products.
 */
import { compareText } from '../../../compare';
import type { Mesh, Product } from '../../../vocabulary/mesh';
import { NameIndex } from '../../../vocabulary/topic-names';
import { errorName } from '../client/protocol';
import { pickVersion } from '../client/requests/codec';
import { LIST_GROUPS, listGroups, type ListGroupsResult } from '../client/requests/list-groups';
import { OFFSET_FETCH, offsetFetchAll, type OffsetFetchResult } from '../client/requests/offset-fetch';
import type { KafkaWire } from '../client/wire';
import { LATEST, listOffsets, partitionKey } from '../client/offsets';
import { CONSUMPTION_REPORT, type ConsumptionReport, type GroupConsumption, type ProductConsumption, type TopicConsumption } from './types';

export async function readConsumption(wire: KafkaWire, mesh: Mesh, now: () => Date = () => new Date()): Promise<ConsumptionReport> {
  const readAt = now().toISOString();
  const notes: string[] = [];
  const layout = await wire.partitionLayout();
  const listVersion = pickVersion(wire.servedVersions(LIST_GROUPS.apiKey), LIST_GROUPS.versions);
  const fetchVersion = pickVersion(wire.servedVersions(OFFSET_FETCH.apiKey), OFFSET_FETCH.versions);
  if (listVersion === undefined || fetchVersion === undefined) {
    notes.push('the cluster does not serve ListGroups v0-v4 and OffsetFetch v2-v5 (Kafka 0.10.2 or later does): no groups read');
    return { report: CONSUMPTION_REPORT, readAt, brokers: layout.brokers.length, products: [], otherGroups: [], notes };
  }

  const groups: Array<{ groupId: string; state: string | null; coordinator: number }> = [];
  for (const broker of layout.brokers) {
    const listed = await wire.readFrom<ListGroupsResult>(broker.nodeId, { protocol: listGroups(listVersion) });
    if (listed.errorCode !== 0) notes.push(`broker ${broker.nodeId} did not list its groups: ${errorName(listed.errorCode)}`);
    for (const g of listed.groups) groups.push({ groupId: g.groupId, state: g.state, coordinator: broker.nodeId });
  }
  groups.sort((a, b) => compareText(a.groupId, b.groupId));

  const committed = new Map<string, OffsetFetchResult>();
  for (const g of groups) {
    const result = await wire.readFrom<OffsetFetchResult>(g.coordinator, { protocol: offsetFetchAll(fetchVersion, g.groupId) });
    if (result.errorCode !== 0) notes.push(`group ${g.groupId}: OffsetFetch ${errorName(result.errorCode)}`);
    committed.set(g.groupId, result);
  }

  const partitions = [...committed.values()].flatMap((r) => r.topics.flatMap((t) => t.partitions.filter((p) => p.errorCode === 0).map((p) => ({ topic: t.topic, partition: p.partition }))));
  const unique = [...new Map(partitions.map((p) => [partitionKey(p.topic, p.partition), p])).values()];
  const ends = await listOffsets(wire, layout, unique, LATEST);
  for (const problem of ends.problems) notes.push(`end offset unknown for ${problem}`);

  const products = [...mesh.products].sort((a, b) => compareText(a.id, b.id));
  const byId = new Map(products.map((p) => [p.id, p]));
  const names = NameIndex.ofMesh(mesh);
  const byProduct = new Map<string, GroupConsumption[]>();
  const otherGroups: GroupConsumption[] = [];
  for (const g of groups) {
    const consumer = byId.get(names.ownerOfClient(g.groupId) ?? '');
    const topics = (committed.get(g.groupId)?.topics ?? [])
      .map((t): TopicConsumption => {
        const parts = t.partitions
          .filter((p) => p.errorCode === 0)
          .map((p) => {
            const end = ends.offsets.get(partitionKey(t.topic, p.partition));
            const has = p.offset >= 0;
            return {
              partition: p.partition,
              committed: has ? p.offset : null,
              endOffset: end ?? 0,
              lag: has && end !== undefined ? Math.max(0, end - p.offset) : null,
            };
          })
          .sort((a, b) => a.partition - b.partition);
        const owner = names.ownerOfTopic(t.topic);
        return {
          topic: t.topic,
          ...(owner && { owner }),
          declared: consumer !== undefined && declares(consumer, t.topic),
          lag: parts.reduce((sum, p) => sum + (p.lag ?? 0), 0),
          partitions: parts,
        };
      })
      .sort((a, b) => compareText(a.topic, b.topic));
    const group: GroupConsumption = { group: g.groupId, state: g.state, lag: topics.reduce((sum, t) => sum + t.lag, 0), topics };
    if (consumer) byProduct.set(consumer.id, [...(byProduct.get(consumer.id) ?? []), group]);
    else otherGroups.push(group);
  }

  const consumption: ProductConsumption[] = products
    .filter((p) => byProduct.has(p.id))
    .map((p) => {
      const list = byProduct.get(p.id)!;
      return { product: p.id, lag: list.reduce((sum, g) => sum + g.lag, 0), groups: list };
    });
  return { report: CONSUMPTION_REPORT, readAt, brokers: layout.brokers.length, products: consumption, otherGroups, notes };
}

/** The spec receives from the topic, or the product owns it (a product may read its own topics). */
function declares(product: Product, topic: string): boolean {
  return product.consumes.some((c) => c.topic === topic) || product.topics.some((t) => t.name === topic);
}
