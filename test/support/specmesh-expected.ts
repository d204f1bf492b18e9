/**
 * What SpecMesh would provision for the SpecMesh-style mesh in `test/fixtures/specmesh`, written by
 * hand from SpecMesh's code (specmesh-build: `ApiSpec.getCanonical` names the channels,
 * `KafkaApiSpec.listDomainOwnedTopics` creates every channel under the domain id as
 * `NewTopic(name, bindings.kafka.partitions, bindings.kafka.replicas).configs(bindings.kafka.configs)`,
 * and its ACLs open `_public` to `User:*`, `_protected` and tag-only channels to each
 * `grant-access:` domain, `_private` and untagged channels to the owner only). Not derived from
 * meshform's code.
 */
export interface ExpectedTopic {
  owner: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
  /** Principals besides the owner that may read it: `*` for everyone. */
  readers: string[];
}

export const SPECMESH_PRODUCTS = [
  'sim.billing.invoices',
  'sim.billing.payments',
  'sim.billing.payments-eu',
  'sim.billing.tariffs',
  'sim.grid.load',
  'sim.grid.meters',
  'sim.grid.outages',
  'sim.ops.crews',
  'sim.ops.dispatch',
];

export const SPECMESH_TOPICS: Readonly<Record<string, ExpectedTopic>> = {
  'sim.grid.meters._public.reading': { owner: 'sim.grid.meters', partitions: 6, replicas: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' }, readers: ['*'] },
  'sim.grid.meters._protected.tamper_alert': { owner: 'sim.grid.meters', partitions: 3, replicas: 1, config: { 'retention.ms': '2592000000' }, readers: ['sim.ops.dispatch'] },
  'sim.grid.meters._private.raw_frames': { owner: 'sim.grid.meters', partitions: 2, replicas: 1, config: { 'cleanup.policy': 'delete', 'retention.bytes': '1073741824' }, readers: [] },
  'sim.grid.load._public.load_by_region': { owner: 'sim.grid.load', partitions: 4, replicas: 1, config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' }, readers: ['*'] },
  'sim.grid.load._private.load-aggregator-region-store-changelog': { owner: 'sim.grid.load', partitions: 4, replicas: 1, config: { 'cleanup.policy': 'compact' }, readers: [] },
  'sim.grid.load._private.load-aggregator-rekey-by-region-repartition': { owner: 'sim.grid.load', partitions: 4, replicas: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' }, readers: [] },
  // Tag-only visibility: the channel names carry no _public/_protected/_private.
  'sim.grid.outages.outage_events': { owner: 'sim.grid.outages', partitions: 3, replicas: 1, config: { 'cleanup.policy': 'delete' }, readers: ['*'] },
  'sim.grid.outages.restoration.plan': { owner: 'sim.grid.outages', partitions: 1, replicas: 1, config: {}, readers: ['sim.billing.invoices', 'sim.ops.dispatch'] },
  'sim.grid.outages.crew.assignments': { owner: 'sim.grid.outages', partitions: 1, replicas: 1, config: { 'retention.ms': '86400000' }, readers: [] },
  'sim.ops.dispatch._public.work_orders': { owner: 'sim.ops.dispatch', partitions: 3, replicas: 1, config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '1209600000' }, readers: ['*'] },
  'sim.ops.crews._protected.crew_status': { owner: 'sim.ops.crews', partitions: 2, replicas: 1, config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '172800000' }, readers: ['sim.ops.dispatch'] },
  'sim.ops.crews._private.shift-planner-roster-store-changelog': { owner: 'sim.ops.crews', partitions: 2, replicas: 1, config: { 'cleanup.policy': 'compact' }, readers: [] },
  'sim.billing.tariffs._public.tariff': { owner: 'sim.billing.tariffs', partitions: 1, replicas: 1, config: { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.1' }, readers: ['*'] },
  'sim.billing.invoices._protected.invoice_issued': { owner: 'sim.billing.invoices', partitions: 6, replicas: 1, config: { 'retention.ms': '31536000000', 'max.message.bytes': '2097152' }, readers: ['sim.billing.payments', 'sim.billing.payments-eu'] },
  'sim.billing.payments._public.payment_received': { owner: 'sim.billing.payments', partitions: 3, replicas: 1, config: { 'cleanup.policy': 'delete' }, readers: ['*'] },
  'sim.billing.payments._private.ledger': { owner: 'sim.billing.payments', partitions: 3, replicas: 1, config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '7776000000' }, readers: [] },
  'sim.billing.payments-eu._private.sepa_batches': { owner: 'sim.billing.payments-eu', partitions: 1, replicas: 1, config: {}, readers: [] },
};

/** The consumer groups the specs' operation bindings name, by consuming product. */
export const SPECMESH_GROUPS: ReadonlyArray<{ product: string; group: string; topic: string }> = [
  { product: 'sim.grid.load', group: 'sim.grid.load._private.load-aggregator', topic: 'sim.grid.meters._public.reading' },
  { product: 'sim.grid.outages', group: 'sim.grid.outages-forecaster', topic: 'sim.grid.load._public.load_by_region' },
  { product: 'sim.ops.dispatch', group: 'sim.ops.dispatch-alerts', topic: 'sim.grid.meters._protected.tamper_alert' },
  { product: 'sim.ops.dispatch', group: 'sim.ops.dispatch.planner', topic: 'sim.grid.outages.restoration.plan' },
  { product: 'sim.ops.crews', group: 'sim.ops.crews-mobile', topic: 'sim.ops.dispatch._public.work_orders' },
  { product: 'sim.billing.invoices', group: 'sim.billing.invoices-metering', topic: 'sim.grid.meters._public.reading' },
  { product: 'sim.billing.invoices', group: 'sim.billing.invoices-credits', topic: 'sim.grid.outages.restoration.plan' },
  { product: 'sim.billing.payments', group: 'sim.billing.payments-reconciler', topic: 'sim.billing.invoices._protected.invoice_issued' },
  { product: 'sim.billing.payments-eu', group: 'sim.billing.payments-eu.reconciler', topic: 'sim.billing.invoices._protected.invoice_issued' },
];

/** Products whose mesh file opts them into Kafka Streams. */
export const SPECMESH_STREAMS_PRODUCTS = ['sim.grid.load', 'sim.ops.crews'];

/** Whether `product` may read `topic` by the expectations above. */
export function mayRead(product: string, topic: string): boolean {
  const t = SPECMESH_TOPICS[topic];
  return t.owner === product || t.readers.includes('*') || t.readers.includes(product);
}
