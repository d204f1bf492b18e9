/**
 * `meshform verify`: the live topics against their specs. For each declared topic on the cluster,
 * the last `sample` records of every partition are read with Fetch (no group, nothing committed)
 * and checked by `RecordChecker`; the newest record's time against the channel's freshness; and
 * each consuming product's groups (by its group prefix) against the lag limit its spec or the
 * owner's sets. Read-only.
 */
import { compareText } from '../../../compare';
import type { Consumption, Mesh, Topic } from '../../../vocabulary/mesh';
import type { RegistryClient } from '../../schema-registry/client';
import { fetchRecords } from '../client/fetch';
import { EARLIEST, LATEST, listOffsets, partitionKey } from '../client/offsets';
import type { KafkaWire } from '../client/wire';
import { readConsumption } from './consumption';
import { RecordChecker } from './record-check';
import { VERIFY_REPORT, type LagCheck, type RecordViolation, type TopicVerification, type VerifyReport } from './types';

/** Violating records listed per topic; the count covers them all. */
export const EXAMPLES_PER_TOPIC = 5;

export interface VerifyOptions {
  /** Records read per partition, at most (the last ones). */
  sample: number;
  /** Only topics owned by these products (ids); all when absent. */
  products?: ReadonlySet<string>;
  registry?: { client: RegistryClient; url: string };
  now?: () => Date;
  onProgress?: (message: string) => void;
}

export async function readVerification(wire: KafkaWire, mesh: Mesh, options: VerifyOptions): Promise<VerifyReport> {
  const now = options.now ?? (() => new Date());
  const readAt = now();
  const notes: string[] = [];
  const topics = mesh.products
    .filter((p) => !options.products || options.products.has(p.id))
    .flatMap((p) => p.topics)
    .sort((a, b) => compareText(a.name, b.name));

  const layout = await wire.partitionLayout();
  const onCluster = new Map(layout.topics.map((t) => [t.name, t]));
  const present = topics.filter((t) => onCluster.has(t.name));
  const partitions = present.flatMap((t) => onCluster.get(t.name)!.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
  const [earliest, latest] = await Promise.all([listOffsets(wire, layout, partitions, EARLIEST), listOffsets(wire, layout, partitions, LATEST)]);
  const compacted = await compactedTopics(wire, present.map((t) => t.name), notes);

  const consumersOf = new Map<string, Consumption[]>();
  for (const p of mesh.products) for (const c of p.consumes) if (c.consumer !== c.owner) consumersOf.set(c.topic, [...(consumersOf.get(c.topic) ?? []), c]);
  const lagLimited = present.some((t) => (consumersOf.get(t.name) ?? []).some((c) => (c.maxLag ?? t.maxLag) !== undefined));
  const consumption = lagLimited ? await readConsumption(wire, mesh, now) : undefined;
  if (consumption) notes.push(...consumption.notes.map((n) => `lag: ${n}`));

  const checker = new RecordChecker(options.registry?.client);
  const results: TopicVerification[] = [];
  for (const [i, topic] of topics.entries()) {
    const result: TopicVerification = { topic: topic.name, product: topic.owner, exists: onCluster.has(topic.name), compacted: compacted.has(topic.name), records: 0, violations: 0, examples: [], keyless: 0, lag: [], unread: 0, notes: [] };
    results.push(result);
    if (!result.exists) {
      result.notes.push('not on the cluster: nothing to read (provision it with meshform kafka apply or pulumi up)');
      continue;
    }
    options.onProgress?.(`${i + 1}/${topics.length} ${topic.name}`);
    const violations: RecordViolation[] = [];
    let newest: number | undefined;
    for (const p of onCluster.get(topic.name)!.partitions) {
      const key = partitionKey(topic.name, p.partition);
      const start = earliest.offsets.get(key);
      const end = latest.offsets.get(key);
      if (start === undefined || end === undefined) {
        result.notes.push(`partition ${p.partition}: offsets unknown (${[...earliest.problems, ...latest.problems].find((x) => x.startsWith(`${key}:`)) ?? 'no answer'})`);
        result.unread++;
        continue;
      }
      if (end <= start) continue;
      const read = await fetchRecords(wire, p.leader, topic.name, p.partition, Math.max(start, end - options.sample), end);
      if (read.problem) {
        result.notes.push(`partition ${p.partition}: ${read.problem}`);
        result.unread++;
      }
      for (const record of read.records) {
        result.records++;
        newest = newest === undefined ? record.timestamp : Math.max(newest, record.timestamp);
        const reasons = await checker.check(topic, result.compacted, record.key, record.value);
        if (record.key === null && result.compacted) result.keyless++;
        if (reasons.length > 0) violations.push({ partition: p.partition, offset: record.offset, reason: reasons.join('; ') });
      }
    }
    violations.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    result.examples = violations.slice(0, EXAMPLES_PER_TOPIC);
    result.violations = violations.length;
    if (topic.freshness) {
      const ageSeconds = newest === undefined ? null : Math.max(0, (readAt.getTime() - newest) / 1000);
      result.freshness = {
        expected: topic.freshness.duration,
        seconds: topic.freshness.seconds,
        newest: newest === undefined ? null : new Date(newest).toISOString(),
        ageSeconds: ageSeconds === null ? null : Math.round(ageSeconds),
        stale: ageSeconds === null || ageSeconds > topic.freshness.seconds,
      };
      if (result.freshness.stale) result.violations++;
    }
    result.lag = lagChecks(topic, consumersOf.get(topic.name) ?? [], consumption, result.notes);
    result.violations += result.lag.filter((l) => l.over).length;
  }

  return {
    report: VERIFY_REPORT,
    readAt: readAt.toISOString(),
    sample: options.sample,
    registry: options.registry?.url ?? null,
    summary: {
      topics: results.filter((r) => r.exists).length,
      records: results.reduce((n, r) => n + r.records, 0),
      violations: results.reduce((n, r) => n + r.violations, 0),
      unread: results.reduce((n, r) => n + r.unread, 0),
    },
    topics: results,
    notes,
  };
}

/** Each consuming product's groups on the topic, against the consumer's own maxLag or the topic's. */
function lagChecks(topic: Topic, consumers: readonly Consumption[], consumption: Awaited<ReturnType<typeof readConsumption>> | undefined, notes: string[]): LagCheck[] {
  const checks: LagCheck[] = [];
  for (const c of [...consumers].sort((a, b) => compareText(a.consumer, b.consumer))) {
    const maxLag = c.maxLag ?? topic.maxLag;
    if (maxLag === undefined || !consumption) continue;
    const groups = (consumption.products.find((p) => p.product === c.consumer)?.groups ?? []).flatMap((g) => {
      const on = g.topics.find((t) => t.topic === topic.name);
      return on ? [{ group: g.group, lag: on.lag }] : [];
    });
    if (groups.length === 0) notes.push(`lag of ${c.consumer}: no group under its prefix has committed offsets on this topic, so its lag cannot be read`);
    for (const g of groups) checks.push({ consumer: c.consumer, group: g.group, lag: g.lag, maxLag, over: g.lag > maxLag });
  }
  return checks;
}

/** Topics whose cleanup.policy on the cluster includes compact. */
async function compactedTopics(wire: KafkaWire, names: string[], notes: string[]): Promise<Set<string>> {
  const compacted = new Set<string>();
  for (const t of await wire.describeTopicConfigs(names)) {
    if (t.errorCode !== 0) {
      notes.push(`${t.topic}: configs not read (error ${t.errorCode}${t.errorMessage ? `: ${t.errorMessage}` : ''}); keyless records not checked`);
      continue;
    }
    const policy = t.entries.find((e) => e.name === 'cleanup.policy')?.value ?? 'delete';
    if (policy.split(',').map((s) => s.trim()).includes('compact')) compacted.add(t.topic);
  }
  return compacted;
}
