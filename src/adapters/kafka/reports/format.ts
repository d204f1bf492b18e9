/** The live reports for people: one aligned table per report, notes last. */
import { formatBytes, formatCount } from '../../../numbers';
import type { ConsumptionReport, GroupConsumption, StorageReport, TopicStorage } from './types';

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

export function formatStorage(report: StorageReport): string {
  const rows: string[][] = [['PRODUCT / TOPIC', 'PARTITIONS', 'SIZE', 'ON DISK', 'OFFSETS']];
  const topicRow = (t: TopicStorage, indent: string): string[] => {
    const name = indent + t.topic + (t.exists ? '' : '  (not on the cluster)') + (t.declared ? '' : '  (in no spec)');
    return t.exists ? [name, String(t.partitions.length), formatBytes(t.bytes), formatBytes(t.bytesOnDisk), formatCount(t.offsets)] : [name, '', '', '', ''];
  };
  for (const p of report.products) {
    rows.push([p.product, '', formatBytes(p.bytes), formatBytes(p.bytesOnDisk), formatCount(p.offsets)]);
    for (const t of p.topics) rows.push(topicRow(t, '  '));
  }
  if (report.otherTopics.length > 0) {
    rows.push(['(topics of no product in the specs)', '', '', '', '']);
    for (const t of report.otherTopics) rows.push(topicRow(t, '  '));
  }
  const lines = [`Storage of ${report.products.length} product(s) on ${report.brokers} broker(s), read at ${report.readAt}`, '', ...table(rows, new Set([1, 2, 3, 4]))];
  return [...lines, ...notes(report.notes)].join('\n');
}

export function formatConsumption(report: ConsumptionReport): string {
  const rows: string[][] = [['PRODUCT / GROUP / TOPIC', 'STATE', 'LAG']];
  const groupRows = (g: GroupConsumption) => {
    rows.push([`  ${g.group}`, g.state ?? '', formatCount(g.lag)]);
    for (const t of g.topics) rows.push([`    ${t.topic}${t.declared ? '' : '  (NOT in the spec)'}`, '', formatCount(t.lag)]);
  };
  for (const p of report.products) {
    rows.push([p.product, '', formatCount(p.lag)]);
    p.groups.forEach(groupRows);
  }
  if (report.otherGroups.length > 0) {
    rows.push(['(groups of no product in the specs)', '', '']);
    report.otherGroups.forEach(groupRows);
  }
  const groups = report.products.reduce((n, p) => n + p.groups.length, 0);
  const lines = [
    `Consumption: ${groups} group(s) of ${report.products.length} product(s)${report.otherGroups.length ? `, ${report.otherGroups.length} other group(s)` : ''} on ${report.brokers} broker(s), read at ${report.readAt}`,
  ];
  if (rows.length > 1) lines.push('', ...table(rows, new Set([2])));
  return [...lines, ...notes(report.notes)].join('\n');
}

function notes(list: readonly string[]): string[] {
  return list.length === 0 ? [] : ['', 'Notes:', ...list.map((n) => `  ${n}`)];
}
