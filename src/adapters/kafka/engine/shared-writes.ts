/**
 * Writes of many reconciles that run at once (the Pulumi provider serves `--parallel` products
 * together), sent together: while a request of a kind is out, the items other reconciles ask for
 * wait and then go out in one request, whoever asked. Each caller gets the answers for its own
 * items and goes on (its read-back) without waiting for the others. On real Kafka a broker forwards
 * each admin write to the controller one at a time, so one request for eight products instead of
 * eight is most of a first `pulumi up`'s Kafka time.
 */
import type { KafkaAclProps } from '../../../plan/types';
import { DEFAULT_LIMITS, splitBatches, stringBytes, type BatchLimits, type Weight } from './batches';
import type { ItemResult, KafkaWire, NewTopic, ValidateOnly } from '../client/wire';

/** What `applyChanges` writes through: a KafkaWire, or SharedWrites in front of one. */
export type AdminWrites = Pick<KafkaWire, 'connection' | 'createAcls' | 'createTopics' | 'createPartitions' | 'alterTopicConfigs' | 'deleteAcls' | 'deleteTopics' | 'alterClientQuotas'>;

type Alteration = Parameters<KafkaWire['alterTopicConfigs']>[0][number];

interface Waiting<T, A> {
  items: readonly T[];
  resolve(answers: A[]): void;
  reject(e: unknown): void;
}

/**
 * One kind of request shared by callers: the items of every waiting caller go out when no request
 * of the kind is out, in one request (split only at size limits). `send` answers per item, in the
 * items' order. With a window, the first caller's items wait that long for others' before they go
 * out (callers that ask while a request is out wait for it anyway); with a rest, a request goes at
 * the earliest that long after the last one was answered (pollers that ask again at once then share
 * each request, whatever their own rhythm, and the requests keep that rhythm).
 */
export class Lane<T, A = ItemResult | undefined> {
  private queue: Waiting<T, A>[] = [];
  private busy = false;
  private scheduled = false;
  /** No request of the kind goes before this time (ms since the epoch): the rest after the last one. */
  private restUntil = 0;

  constructor(
    private readonly send: (items: T[]) => Promise<A[]>,
    private readonly weigh: (item: T) => Weight,
    private readonly limits: BatchLimits,
    private readonly windowMs = 0,
    private readonly restMs = 0,
  ) {}

  write(items: readonly T[]): Promise<A[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      // Callers that ask in the same turn (or within the window) go out together; after a request,
      // the next waits out the rest.
      if (!this.busy && !this.scheduled) this.schedule(Math.max(this.windowMs, this.restUntil - Date.now()));
    });
  }

  private schedule(waitMs: number): void {
    this.scheduled = true;
    const due = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (waitMs > 0) setTimeout(due, waitMs);
    else setImmediate(due);
  }

  private async flush(): Promise<void> {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const callers = this.queue;
    this.queue = [];
    try {
      const answers: A[] = [];
      for (const batch of splitBatches(callers.flatMap((c) => c.items), this.weigh, this.limits)) answers.push(...(await this.send(batch)));
      let start = 0;
      for (const c of callers) {
        c.resolve(answers.slice(start, start + c.items.length));
        start += c.items.length;
      }
    } catch (e) {
      for (const c of callers) c.reject(e);
    } finally {
      this.busy = false;
      this.restUntil = Date.now() + this.restMs;
      if (this.queue.length > 0) this.schedule(this.restMs);
    }
  }
}

/** A topic write's answers by topic, as KafkaWire gives them. */
async function byName<T>(lane: Lane<T>, items: readonly T[], topicOf: (item: T) => string): Promise<Map<string, ItemResult>> {
  const answers = await lane.write(items);
  const out = new Map<string, ItemResult>();
  items.forEach((item, i) => answers[i] && out.set(topicOf(item), answers[i]!));
  return out;
}

/** Per item, in order, from a write answered by topic name. */
const perTopic =
  <T>(send: (items: T[]) => Promise<Map<string, ItemResult>>, topicOf: (item: T) => string) =>
  async (items: T[]) => {
    const answered = await send(items);
    return items.map((i) => answered.get(topicOf(i)));
  };

export class SharedWrites implements AdminWrites {
  readonly connection: KafkaWire['connection'];
  private readonly grants: Lane<KafkaAclProps>;
  private readonly revokes: Lane<KafkaAclProps>;
  private readonly creates: Lane<NewTopic>;
  private readonly grows: Lane<{ topic: string; count: number }>;
  private readonly configs: Lane<Alteration>;
  private readonly deletes: Lane<string>;

  /** `windowMs`: how long the first writer's items wait for other products' before they go out (default none). */
  constructor(
    private readonly wire: KafkaWire,
    limits: BatchLimits = DEFAULT_LIMITS,
    windowMs = 0,
  ) {
    this.connection = wire.connection;
    const aclWeight = (a: KafkaAclProps): Weight => ({ bytes: 4 + stringBytes(a.resourceName) + stringBytes(a.principal) + stringBytes(a.host), records: 1 });
    const topicWeight = (t: NewTopic): Weight => ({
      bytes: stringBytes(t.topic) + 14 + Object.entries(t.config).reduce((n, [k, v]) => n + stringBytes(k) + stringBytes(v), 0),
      records: 1 + t.partitions + Object.keys(t.config).length,
    });
    this.grants = new Lane((items) => wire.createAcls(items), aclWeight, limits, windowMs);
    this.revokes = new Lane((items) => wire.deleteAcls(items), aclWeight, limits, windowMs);
    this.creates = new Lane(perTopic((items: NewTopic[]) => wire.createTopics(items), (t) => t.topic), topicWeight, limits, windowMs);
    this.grows = new Lane(perTopic((items: { topic: string; count: number }[]) => wire.createPartitions(items), (i) => i.topic), (i) => ({ bytes: stringBytes(i.topic) + 8, records: i.count }), limits, windowMs);
    this.configs = new Lane(perTopic((items: Alteration[]) => wire.alterTopicConfigs(items), (a) => a.topic), (a) => ({ bytes: stringBytes(a.topic) + 64 * (a.changes.length + 1), records: 1 }), limits, windowMs);
    this.deletes = new Lane(perTopic((items: string[]) => wire.deleteTopics(items), (t) => t), (t) => ({ bytes: stringBytes(t), records: 1 }), limits, windowMs);
  }

  async createAcls(acls: readonly KafkaAclProps[]): Promise<ItemResult[]> {
    return (await this.grants.write(acls)) as ItemResult[];
  }

  async deleteAcls(acls: readonly KafkaAclProps[]): Promise<ItemResult[]> {
    return (await this.revokes.write(acls)) as ItemResult[];
  }

  /** Validate-only checks are not shared: they go straight to the wire. */
  createTopics(topics: readonly NewTopic[], options: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    return options.validateOnly ? this.wire.createTopics(topics, options) : byName(this.creates, topics, (t) => t.topic);
  }

  createPartitions(increases: readonly { topic: string; count: number }[], options: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    return options.validateOnly ? this.wire.createPartitions(increases, options) : byName(this.grows, increases, (i) => i.topic);
  }

  alterTopicConfigs(alterations: readonly Alteration[], options: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    return options.validateOnly ? this.wire.alterTopicConfigs(alterations, options) : byName(this.configs, alterations, (a) => a.topic);
  }

  deleteTopics(topics: readonly string[]): Promise<Map<string, ItemResult>> {
    return byName(this.deletes, topics, (t) => t);
  }

  /** A product's quota is one entity, written rarely: not shared, straight to the wire. */
  alterClientQuotas(...args: Parameters<KafkaWire['alterClientQuotas']>): ReturnType<KafkaWire['alterClientQuotas']> {
    return this.wire.alterClientQuotas(...args);
  }
}
