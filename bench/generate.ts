/**
 * Generates a synthetic mesh: N products in a handful of business domains, each with `channels`
 * topics (public / protected / private), grants to a neighbour and consumption of a neighbour's
 * public topic. Every third product is AsyncAPI 2.6, the rest 3.0. All specs are valid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VISIBILITIES = ['_public', '_protected', '_private'] as const;

export interface GeneratedMesh {
  dir: string;
  files: string[];
}

/** Product i's urn: products are spread over `domains` business domains, round robin. */
function productUrn(i: number, domains: number): string {
  return `urn:bench:domain${i % domains}:product${i}`;
}

/**
 * Varied meshes (`varied: true`): product i's topic names carry a suffix of i % 97 letters and it has
 * `channels - 4 + i % 9` channels, so its catalog drawing differs from its neighbours' in node sizes
 * and node count (by the Chinese remainder theorem no two of the first 873 products share both), as
 * the products of a real mesh do; the default mesh repeats a handful of shapes.
 */
function topicOf(i: number, c: number, varied: boolean): string {
  return `${VISIBILITIES[c % 3]}.events_${c}${varied ? `_${'v'.repeat(i % 97)}` : ''}`;
}

function channelsOf(i: number, channels: number, varied: boolean): number {
  return varied ? Math.max(1, channels - 4 + (i % 9)) : channels;
}

/** The topic product i receives from: the first channel of product i-1 (in domain form). */
function upstreamTopic(i: number, n: number, domains: number, varied: boolean): string {
  const upstream = (i + n - 1) % n;
  return `${productUrn(upstream, domains).slice(4).replace(/:/g, '.')}.${topicOf(upstream, 0, varied)}`;
}

/** Channel c's Kafka binding up to its retention; the same in both versions (3.0 adds a cleanup policy). */
function kafkaBinding(c: number): string[] {
  return [
    `    bindings:`,
    `      kafka:`,
    `        partitions: ${3 + (c % 4)}`,
    `        replicas: 3`,
    `        topicConfiguration:`,
    `          retention.ms: ${86400000 * (1 + (c % 7))}`,
  ];
}

/** `asyncapi`, `id` and the opening of `info`, the same in both versions. */
function header(asyncapi: string, i: number, domains: number): string[] {
  return [`asyncapi: ${asyncapi}`, `id: '${productUrn(i, domains)}'`, `info:`, `  title: Product ${i}`, `  version: 1.0.${i}`];
}

function spec30(i: number, n: number, allChannels: number, domains: number, varied: boolean): string {
  const next = (i + 1) % n;
  const channels = channelsOf(i, allChannels, varied);
  const lines = [
    ...header('3.0.0', i, domains),
    `  description: Synthetic product ${i} for the benchmark.`,
    `x-meshform:`,
    `  owners: [user:owner${i}@bench.example, group:team${i % 20}@bench.example]`,
    `  storage:`,
    `    bigquery:`,
    `      layers: [raw, curated]`,
    `channels:`,
  ];
  for (let c = 0; c < channels; c++) {
    lines.push(
      `  ch${c}:`,
      `    address: ${topicOf(i, c, varied)}`,
      `    messages:`,
      `      event${c}:`,
      `        $ref: '#/components/messages/Event'`,
      ...kafkaBinding(c),
      `          cleanup.policy: [delete]`,
    );
    if (c % 3 === 1) lines.push(`    tags:`, `      - name: 'grant-access:${productUrn(next, domains)}'`);
  }
  lines.push(
    `  upstream:`,
    `    address: ${upstreamTopic(i, n, domains, varied)}`,
    `    messages:`,
    `      upstreamEvent:`,
    `        $ref: '#/components/messages/Event'`,
    `operations:`,
  );
  for (let c = 0; c < channels; c++) {
    lines.push(
      `  send${c}:`,
      `    action: send`,
      `    channel:`,
      `      $ref: '#/channels/ch${c}'`,
    );
  }
  lines.push(
    `  receiveUpstream:`,
    `    action: receive`,
    `    channel:`,
    `      $ref: '#/channels/upstream'`,
    `components:`,
    `  messages:`,
    `    Event:`,
    `      payload:`,
    `        type: object`,
    `        required: [id, at]`,
    `        properties:`,
    `          id: {type: string, format: uuid}`,
    `          at: {type: string, format: date-time}`,
    `          amount: {type: number, minimum: 0}`,
  );
  return lines.join('\n') + '\n';
}

function spec26(i: number, n: number, allChannels: number, domains: number, varied: boolean): string {
  const next = (i + 1) % n;
  const channels = channelsOf(i, allChannels, varied);
  const lines = [
    ...header('2.6.0', i, domains),
    `x-meshform:`,
    `  owners: [owner${i}@bench.example]`,
    `channels:`,
  ];
  for (let c = 0; c < channels; c++) {
    lines.push(
      `  ${topicOf(i, c, varied)}:`,
      ...kafkaBinding(c),
      `    subscribe:`,
      `      operationId: send${c}`,
    );
    if (c % 3 === 1) lines.push(`      tags:`, `        - name: 'grant-access:${productUrn(next, domains)}'`);
    lines.push(`      message:`, `        $ref: '#/components/messages/Event'`);
  }
  lines.push(
    `  ${upstreamTopic(i, n, domains, varied)}:`,
    `    publish:`,
    `      operationId: receiveUpstream`,
    `      message:`,
    `        $ref: '#/components/messages/Event'`,
    `components:`,
    `  messages:`,
    `    Event:`,
    `      payload:`,
    `        type: object`,
    `        properties:`,
    `          id: {type: string}`,
    `          at: {type: string, format: date-time}`,
  );
  return lines.join('\n') + '\n';
}

/** N products of `channels` channels each (about that many with `varied`), in `domains` business domains (default 20). */
export function generateMesh(dir: string, products: number, channels: number, options: { domains?: number; varied?: boolean } = {}): GeneratedMesh {
  const domains = options.domains ?? 20;
  const varied = options.varied ?? false;
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < products; i++) {
    const file = join(dir, `product${String(i).padStart(4, '0')}.yaml`);
    writeFileSync(file, i % 3 === 2 ? spec26(i, products, channels, domains, varied) : spec30(i, products, channels, domains, varied));
    files.push(file);
  }
  return { dir, files };
}
