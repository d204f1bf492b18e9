/**
 * The specs' expectations as Prometheus alerting rules (`meshform export alerts`): a topic's
 * freshness (channel `x-meshform.freshness`) and each consuming product's lag (`maxLag`, the
 * consumer's own or the owner's). `meshform verify` checks the same expectations when it runs;
 * these rules watch them between runs.
 *
 * Metric names by exporter:
 * - kafka-exporter (danielqsj/kafka_exporter): `kafka_topic_partition_current_offset{topic,partition}`
 *   (freshness: no offset increase over the duration) and `kafka_consumergroup_lag{consumergroup,topic,partition}`.
 * - jmx (Prometheus JMX exporter on the brokers, Kafka's example rules):
 *   `kafka_server_brokertopicmetrics_messagesin_total{topic}` for freshness; brokers do not measure
 *   consumer lag, so lag rules need kafka-exporter.
 */
import { compareText } from '../../compare';
import type { SourceLocation } from '../../vocabulary/diagnostics';
import type { Consumption, Mesh, Topic } from '../../vocabulary/mesh';
import { NameIndex, clientPrefixes } from '../../vocabulary/topic-names';

export const METRICS = ['kafka-exporter', 'jmx'] as const;
export type Metrics = (typeof METRICS)[number];

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

export interface AlertRules {
  groups: RuleGroup[];
}

const place = (at: SourceLocation) => `${at.file}:${at.line}`;

/** A PromQL string literal (double-quoted; backslashes and quotes escaped). */
function literal(text: string): string {
  return JSON.stringify(text);
}

/** An RE2 pattern matching `text` exactly. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Prometheus range durations: whole seconds, in the largest unit that divides them. */
export function promDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  for (const [unit, size] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60]] as const) if (s % size === 0) return `${s / size}${unit}`;
  return `${s}s`;
}

/** Groups under a product's client prefixes (`<id>.` or `<id>-`), as an RE2 pattern. */
function groupsOf(productId: string): string {
  return `(${clientPrefixes(productId).map(escapeRegex).join('|')}).+`;
}

/**
 * The groups of a consumer product: under its client prefixes, minus those of longer product ids
 * under them (their groups are theirs, as `meshform kafka consumption` counts them).
 */
function groupMatchers(consumer: string, names: NameIndex): string {
  const longer = names.products.filter((id) => names.ancestorsOf(id).includes(consumer)).sort(compareText);
  return [`consumergroup=~${literal(groupsOf(consumer))}`, ...longer.map((id) => `consumergroup!~${literal(groupsOf(id))}`)].join(', ');
}

export function alertRules(mesh: Mesh, options: { stack: string; metrics: Metrics }): AlertRules {
  const topics = mesh.products.flatMap((p) => p.topics).sort((a, b) => compareText(a.name, b.name));
  const names = NameIndex.ofMesh(mesh);
  const byName = new Map(topics.map((t) => [t.name, t]));
  const freshness: AlertRule[] = topics.filter((t) => t.freshness).map((t) => freshnessRule(t, options));
  const lag: AlertRule[] = [];
  if (options.metrics === 'kafka-exporter') {
    const consumptions = mesh.products.flatMap((p) => p.consumes).filter((c) => c.owner !== undefined && c.owner !== c.consumer);
    for (const c of consumptions.sort((a, b) => compareText(a.topic, b.topic) || compareText(a.consumer, b.consumer))) {
      const topic = byName.get(c.topic);
      const maxLag = c.maxLag ?? topic?.maxLag;
      if (topic && maxLag !== undefined) lag.push(lagRule(topic, c, maxLag, names, options.stack));
    }
  }
  const groups: RuleGroup[] = [];
  if (freshness.length) groups.push({ name: 'meshform-freshness', rules: freshness });
  if (lag.length) groups.push({ name: 'meshform-consumer-lag', rules: lag });
  return { groups };
}

function freshnessRule(t: Topic, options: { stack: string; metrics: Metrics }): AlertRule {
  const window = promDuration(t.freshness!.seconds);
  const metric = options.metrics === 'jmx' ? 'kafka_server_brokertopicmetrics_messagesin_total' : 'kafka_topic_partition_current_offset';
  return {
    alert: 'MeshformTopicStale',
    expr: `sum(increase(${metric}{topic=${literal(t.name)}}[${window}])) == 0`,
    for: '0m',
    labels: { severity: 'warning', stack: options.stack, product: t.owner, topic: t.name },
    annotations: {
      summary: `No new record on ${t.name} for ${t.freshness!.duration}`,
      description: `${t.owner} promises a record at least every ${t.freshness!.duration} (x-meshform.freshness at ${place(t.freshness!.location ?? t.location)}); meshform verify --stack ${options.stack} --product ${t.owner} shows the newest record.`,
    },
  };
}

function lagRule(t: Topic, c: Consumption, maxLag: number, names: NameIndex, stack: string): AlertRule {
  const own = c.maxLag !== undefined;
  return {
    alert: 'MeshformConsumerLag',
    expr: `sum by (consumergroup) (kafka_consumergroup_lag{topic=${literal(t.name)}, ${groupMatchers(c.consumer, names)}}) > ${maxLag}`,
    for: '5m',
    labels: { severity: 'warning', stack, product: c.consumer, topic: t.name },
    annotations: {
      summary: `A group of ${c.consumer} is more than ${maxLag} records behind on ${t.name}`,
      description: `maxLag ${maxLag} from ${own ? `${c.consumer}'s spec (${place(c.maxLagLocation ?? c.location)})` : `${t.owner}'s channel (${place(t.maxLagLocation ?? t.location)})`}; meshform kafka consumption --stack ${stack} shows every group's lag.`,
    },
  };
}
