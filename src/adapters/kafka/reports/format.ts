/** The live reports for people: one aligned table per report, notes last. */
import { formatBytes, formatCount } from '../../../numbers';
import type { ConsumptionReport, GroupConsumption, StorageReport, TopicStorage, TopicVerification, VerifyReport } from './types';

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

export function formatVerification(report: VerifyReport): string {
  const { summary } = report;
  const lines = [
    `Verified ${summary.topics} topic(s) on the cluster: ${formatCount(summary.records)} record(s) read (the last ${report.sample} of each partition), ${summary.violations} violation(s)${summary.unread ? `, ${summary.unread} partition(s) NOT READ (see the notes)` : ''}; read at ${report.readAt}` +
      (report.registry ? `, schema ids looked up in ${report.registry}` : ', no schema registry'),
  ];
  for (const t of report.topics) lines.push('', ...topicLines(t));
  return [...lines, ...notes(report.notes)].join('\n');
}

function topicLines(t: TopicVerification): string[] {
  const verdict = t.violations > 0 ? `${t.violations} violation(s)` : t.unread > 0 ? 'not verified' : 'ok';
  const state = !t.exists ? 'not on the cluster' : `${formatCount(t.records)} record(s), ${verdict}${t.unread > 0 ? `, ${t.unread} partition(s) not read` : ''}`;
  const lines = [`${t.topic}  (${t.product}${t.compacted ? ', compacted' : ''})  ${state}`];
  for (const v of t.examples) lines.push(`  partition ${v.partition} offset ${v.offset}: ${v.reason}`);
  const recordViolations = t.violations - (t.freshness?.stale ? 1 : 0) - t.lag.filter((l) => l.over).length;
  if (recordViolations > t.examples.length) lines.push(`  ... ${recordViolations - t.examples.length} more record(s) in violation (--json lists the first ${t.examples.length})`);
  if (t.keyless > 0) lines.push(`  ${t.keyless} record(s) without a key on a compacted topic`);
  if (t.freshness) {
    const f = t.freshness;
    const age = f.ageSeconds === null ? 'no record on the topic' : `newest record ${formatAge(f.ageSeconds)} old (${f.newest})`;
    lines.push(`  freshness ${f.expected}: ${f.stale ? 'STALE' : 'fresh'}, ${age}`);
  }
  for (const l of t.lag) lines.push(`  lag of ${l.consumer}, group ${l.group}: ${formatCount(l.lag)} record(s), maxLag ${formatCount(l.maxLag)}${l.over ? ': OVER' : ''}`);
  for (const n of t.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** `2h 5m`, `40s`, `3d 4h`. */
export function formatAge(seconds: number): string {
  const units: Array<[string, number]> = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

function notes(list: readonly string[]): string[] {
  return list.length === 0 ? [] : ['', 'Notes:', ...list.map((n) => `  ${n}`)];
}
