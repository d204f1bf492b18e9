/**
 * What a saved plan's changes depend on, as a fingerprint: the part of the cluster the run reads
 * and diffs (the scope's topics with their partitions, replication factor and the configs set on
 * them, and the ACL bindings the scope owns or the plan declares). Equal fingerprints mean the
 * diff of the same plan would find the same changes; any topic, partition count, topic config or
 * ACL binding added, removed or changed in that part moves it. Outside the scope nothing counts
 * (another team's topics may change freely). Values the broker hides (sensitive configs) count by
 * name only: their values cannot be read.
 *
 * Kept per product and kind, so a refusal can say whose topics or ACLs moved.
 */
import { createHash } from 'node:crypto';
import { compareText } from '../../../compare';
import type { OwnershipScope } from './scope';
import { aclKey, type ActualTopic, type ClusterState } from './state';

export interface StateFingerprint {
  /** sha256 of the whole part (hex). */
  digest: string;
  /**
   * Per owning product, a short hash of its topics and one of its ACL bindings; `""` holds what the
   * plan declares outside every product's names. A product with nothing on the cluster is absent.
   */
  products: Record<string, { topics?: string; acls?: string }>;
}

/** The fingerprint of `state`, the part of the cluster `scope` owns or the plan declares (`readState`). */
export function fingerprintState(state: ClusterState, scope: OwnershipScope): StateFingerprint {
  const lines = new Map<string, { topics: string[]; acls: string[] }>();
  const of = (product: string | undefined) => {
    const key = product ?? '';
    let entry = lines.get(key);
    if (!entry) lines.set(key, (entry = { topics: [], acls: [] }));
    return entry;
  };
  for (const topic of state.topics.values()) of(scope.ownerOfName(topic.name)).topics.push(topicLine(topic));
  for (const acl of state.acls) of(scope.ownerOfAcl(acl)).acls.push(aclKey(acl));

  const whole = createHash('sha256');
  const products: StateFingerprint['products'] = {};
  for (const product of [...lines.keys()].sort(compareText)) {
    const { topics, acls } = lines.get(product)!;
    const entry: { topics?: string; acls?: string } = {};
    if (topics.length > 0) entry.topics = hashLines(`${product}\ttopics`, topics, whole);
    if (acls.length > 0) entry.acls = hashLines(`${product}\tacls`, acls, whole);
    products[product] = entry;
  }
  return { digest: whole.digest('hex'), products };
}

/** `topics of acme.user`, `ACLs of acme.billing`: where `now` differs from `then`; empty when equal. */
export function movedSince(then: StateFingerprint, now: StateFingerprint): string[] {
  if (then.digest === now.digest) return [];
  const moved: string[] = [];
  for (const product of [...new Set([...Object.keys(then.products), ...Object.keys(now.products)])].sort(compareText)) {
    const before = then.products[product] ?? {};
    const after = now.products[product] ?? {};
    const whose = product === '' ? 'declared outside every product' : `of ${product}`;
    if (before.topics !== after.topics) moved.push(`topics ${whose}`);
    if (before.acls !== after.acls) moved.push(`ACLs ${whose}`);
  }
  // Equal parts in a different whole cannot happen with sha256; say so rather than nothing.
  return moved.length > 0 ? moved : ['the cluster state'];
}

/** One topic as text: every field the diff compares, configs in key order. */
function topicLine(topic: ActualTopic): string {
  const config = Object.keys(topic.config)
    .sort(compareText)
    .map((key) => `${key}=${topic.config[key]}`);
  const hidden = [...topic.hiddenKeys].sort(compareText);
  return JSON.stringify([topic.name, topic.partitions, topic.replicas, config, hidden]);
}

/** A short hash of the sorted lines under `label`; the lines also go into `whole`. */
function hashLines(label: string, lines: string[], whole: ReturnType<typeof createHash>): string {
  const part = createHash('sha256');
  const text = `${label}\n${lines.sort(compareText).join('\n')}\n`;
  part.update(text);
  whole.update(text);
  return part.digest('hex').slice(0, 16);
}
