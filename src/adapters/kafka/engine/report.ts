/**
 * What a reconcile did or would do, per resource, and how it is printed.
 * Plan mode uses the would-be states; apply mode the outcomes, FAILED carrying the Kafka error.
 */
import type { KafkaAclProps } from '../../../plan/types';
import { QUOTA_KEYS } from '../../../vocabulary/mesh';
import type { Change, QuotaChange, TopicChange } from './diff';

export type PlanState = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNCHANGED' | 'REFUSED';
export type ApplyState = 'CREATED' | 'UPDATED' | 'DELETED' | 'UNCHANGED' | 'REFUSED' | 'FAILED';

export interface ResourceStatus {
  kind: 'kafka:Topic' | 'kafka:Acl' | 'kafka:Quota';
  name: string;
  product: string;
  state: PlanState | ApplyState;
  topic?: string;
  acl?: KafkaAclProps;
  /** A client quota: the principal and the `user` entity it is set on. */
  quota?: { principal: string; user: string };
  /** Human-readable details: `partitions 3 -> 6`, `set retention.ms=600000`. */
  changes: string[];
  /** REFUSED: why and the remedy. */
  reason?: string;
  /** FAILED: the Kafka error or what is unknown. */
  error?: string;
}

export interface Summary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  refused: number;
  failed: number;
}

export interface KafkaReport {
  mode: 'plan' | 'apply';
  resources: ResourceStatus[];
  summary: Summary;
  /**
   * Apply: the connection was lost or timed out while changes were being made (a request failed as a
   * whole, or the read-back could not be made), so some outcomes are unknown: a re-run converges.
   */
  interrupted?: true;
}

export function describeChange(change: Change): string[] {
  if (change.kind === 'kafka:Acl') return [];
  if (change.kind === 'kafka:Quota') return describeQuota(change);
  return change.action === 'CREATE' ? describeCreate(change) : describeUpdate(change);
}

/** `producer_byte_rate=1048576` (new), `consumer_byte_rate 1000 -> 2000`, `remove request_percentage (was 25)`. */
function describeQuota(change: QuotaChange): string[] {
  const lines: string[] = [];
  for (const key of QUOTA_KEYS) {
    const to = change.set[key];
    if (to === undefined) continue;
    const before = change.actual?.[key];
    lines.push(before === undefined ? `${key}=${to}` : `${key} ${before} -> ${to}`);
  }
  for (const key of change.remove) lines.push(`remove ${key} (was ${change.actual?.[key]})`);
  return lines;
}

function describeCreate(change: TopicChange): string[] {
  const d = change.desired!;
  return [`partitions ${d.partitions}`, `replicas ${d.replicas}`, ...Object.entries(d.config).map(([k, v]) => `${k}=${v}`)];
}

function describeUpdate(change: TopicChange): string[] {
  const lines: string[] = [];
  if (change.partitionsTo !== undefined) lines.push(`partitions ${change.actual?.partitions} -> ${change.partitionsTo}`);
  for (const [key, value] of Object.entries(change.configSet)) {
    const before = change.actual?.config[key];
    lines.push(before === undefined ? `set ${key}=${value}` : `${key} ${before} -> ${value}`);
  }
  for (const key of change.configUnset) lines.push(`unset ${key} (was ${change.actual?.config[key]})`);
  return lines;
}

export function summarise(resources: ReadonlyArray<{ state: PlanState | ApplyState }>): Summary {
  const summary: Summary = { create: 0, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 };
  for (const r of resources) {
    switch (r.state) {
      case 'CREATE':
      case 'CREATED':
        summary.create++;
        break;
      case 'UPDATE':
      case 'UPDATED':
        summary.update++;
        break;
      case 'DELETE':
      case 'DELETED':
        summary.delete++;
        break;
      case 'UNCHANGED':
        summary.unchanged++;
        break;
      case 'REFUSED':
        summary.refused++;
        break;
      case 'FAILED':
        summary.failed++;
        break;
    }
  }
  return summary;
}

export const MARK: Record<PlanState | ApplyState, string> = {
  CREATE: '+',
  CREATED: '+',
  UPDATE: '~',
  UPDATED: '~',
  DELETE: '-',
  DELETED: '-',
  UNCHANGED: '=',
  REFUSED: '!',
  FAILED: '!',
};

/** One line per resource that is not UNCHANGED, then the summary line (past tense after apply). */
export function formatReport(report: KafkaReport): string[] {
  const lines: string[] = [];
  for (const r of report.resources) {
    if (r.state === 'UNCHANGED') continue;
    const subject = r.kind === 'kafka:Topic' ? `topic ${r.topic}` : r.kind === 'kafka:Quota' ? `quota ${r.quota!.principal}` : `acl ${aclText(r.acl!)}`;
    const details = r.changes.length > 0 ? ` (${r.changes.join(', ')})` : '';
    const why = r.reason ? `: ${r.reason}` : r.error ? `: ${r.error}` : '';
    lines.push(`${MARK[r.state]} ${r.state} ${subject}${details}${why}`);
  }
  lines.push(summaryLine(report.mode, report.summary));
  return lines;
}

/** `1 to create, 0 to update, ...` (plan) or `1 created, ...` (apply), refusals and failures last. */
export function summaryLine(mode: 'plan' | 'apply', s: Summary): string {
  const tail = [s.refused > 0 ? `${s.refused} refused` : '', s.failed > 0 ? `${s.failed} failed` : ''].filter(Boolean);
  const counts =
    mode === 'plan'
      ? `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged`
      : `${s.create} created, ${s.update} updated, ${s.delete} deleted, ${s.unchanged} unchanged`;
  return `${counts}${tail.length ? `, ${tail.join(', ')}` : ''}`;
}

export function aclText(acl: KafkaAclProps): string {
  const host = acl.host === '*' ? '' : ` from ${acl.host}`;
  return `${acl.permission} ${acl.principal} ${acl.operation} on ${acl.resourceType} ${acl.patternType} ${acl.resourceName}${host}`;
}
