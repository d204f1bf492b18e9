/**
 * Read-backs of many reconciles that run at once (the Pulumi provider's products), read together:
 * while a read is out, the reads other reconciles ask for wait and then go out as one round
 * (`readNamedFor`: one Metadata and one DescribeConfigs for all their topics, and one DescribeAcls
 * of every binding once more than one product's patterns wait), each caller answered with only
 * what it named. A caller's read always starts after it asked (never one already out), so it sees
 * its own writes as a read of its own would. Polling read-backs share rounds too.
 */
import type { KafkaWire } from '../client/wire';
import { Lane } from './shared-writes';
import { readNamed, readNamedFor, type AclPattern, type ClusterState, type NamedRead } from './state';

/** How a reconcile reads back the named part of the cluster: `readNamed` on a wire, or SharedReads in front of one. */
export interface NamedReads {
  readNamed(topics: Iterable<string>, patterns: Iterable<AclPattern>, quotas: boolean): Promise<ClusterState>;
}

/** One reconcile alone: its own requests (a DescribeAcls per pattern). */
export const directReads = (wire: KafkaWire): NamedReads => ({ readNamed: (topics, patterns, quotas) => readNamed(wire, topics, patterns, quotas) });

/** From this many distinct ACL patterns waiting, one DescribeAcls of every binding answers them all (one product has ~15). */
export const WIDE_AT = 20;

export interface SharedReadsOptions {
  /** From how many distinct ACL patterns a round reads every binding (default WIDE_AT); a function is asked each round. */
  wideAt?: number | (() => number);
  /**
   * How long after a round the next one goes when readers asked while it was out (default 0): a
   * read-back that polls asks again at once, and the rounds, not each reader, keep the rhythm.
   */
  restMs?: number;
}

export class SharedReads implements NamedReads {
  private readonly lane: Lane<NamedRead, ClusterState>;

  constructor(wire: KafkaWire, options: SharedReadsOptions = {}) {
    const wideAt = options.wideAt ?? WIDE_AT;
    // A round is never split: weigh nothing against the limits.
    this.lane = new Lane((reads) => readNamedFor(wire, reads, typeof wideAt === 'function' ? wideAt() : wideAt), () => ({ bytes: 0, records: 0 }), { maxBytes: 1, maxRecords: 1 }, 0, options.restMs ?? 0);
  }

  async readNamed(topics: Iterable<string>, patterns: Iterable<AclPattern>, quotas: boolean): Promise<ClusterState> {
    const [state] = await this.lane.write([{ topics: [...new Set(topics)], patterns: [...patterns], quotas }]);
    return state;
  }
}
