/**
 * One admin session with a cluster, one request per call.
 *
 * kafkajs's admin client refreshes metadata before every call and throws on the first failed item,
 * which costs a request per call and hides per-item outcomes. We use its connection, encoders and
 * decoders (the same protocol code) but send each request ourselves, and every response is returned
 * item by item.
 *
 * Every request goes to the broker we connected to through the bootstrap address (the seed). KRaft
 * brokers forward admin writes to the controller quorum themselves (their Metadata names a random
 * broker as "controller"), so one connection is enough and the brokers' advertised addresses need
 * not even be reachable from here (a port-forward, a load balancer). A ZooKeeper-mode broker that is
 * not the controller answers topic writes with NOT_CONTROLLER: only those items are sent again, to
 * the controller named by fresh Metadata, reached at its advertised address, which later writes of
 * the session then use directly.
 */
import type { KafkaAclProps } from '../../../plan/types';
import { brokerAddress, formatAddress, KAFKA_ENV, type KafkaConnection } from '../../../stack/kafka-connection';
import { incrementalAlterConfigsRequest, type AlterResult, type TopicConfigAlteration } from './incremental-alter-configs';
import {
  API_KEY,
  CONFIG_RESOURCE_TOPIC,
  CONFIG_SOURCE_TOPIC,
  OPERATION,
  PATTERN_TYPE,
  PERMISSION,
  RESOURCE_TYPE,
  errorName,
  nameOf,
} from './protocol';
import { RIGHTS, authorizationMessage, isAuthorizationError } from './rights';
import { pickVersion } from './requests/codec';
import { CREATE_TOPICS, createTopicsRequest, type CreatedTopic } from './requests/create-topics';
import { ALTER_CLIENT_QUOTAS, DESCRIBE_CLIENT_QUOTAS, QUOTA_MATCH, alterClientQuotas, describeClientQuotas, type QuotaAlteration } from './requests/client-quotas';

const connectionPoolBuilder = require('kafkajs/src/cluster/connectionPoolBuilder');
const Broker = require('kafkajs/src/broker');
const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
const { createLogger, LEVELS } = require('kafkajs/src/loggers');
const socketFactory = require('kafkajs/src/network/socketFactory');

/** kafkajs logs connection errors itself; ours are reported by the caller instead. */
function quietLogger(): unknown {
  return createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined });
}

export interface TopicDescription {
  name: string;
  partitions: number;
  /** Replication factor: replicas of partition 0. */
  replicas: number;
}

export interface ClusterMetadata {
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number }[];
  topics: TopicDescription[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  /** Set on the topic itself, as opposed to a broker or built-in default. */
  setOnTopic: boolean;
  sensitive: boolean;
}

export interface TopicConfigs {
  topic: string;
  errorCode: number;
  errorMessage: string | null;
  entries: ConfigEntry[];
}

/** Per-item answer of a batched mutation. errorCode 0 = done. */
export interface ItemResult {
  errorCode: number;
  errorMessage: string | null;
  /**
   * A created topic as the controller committed it (CreateTopics v5+ answers it): its partitions,
   * replication factor and, unless the broker could not describe them to this principal, its configs.
   */
  created?: { partitions: number; replicas: number; configs?: ConfigEntry[] };
}

/** The client quotas of one `user` entity (a principal's name), by Kafka key. */
export interface UserQuotas {
  user: string;
  values: Record<string, number>;
}

export interface NewTopic {
  topic: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}

/**
 * A whole request failed (connection lost, timeout, API missing); nothing is known per item. The
 * message is made of meshform's words, the broker address and the words of kafkajs, Node or the
 * broker about what failed: none of them is ever given the password, so none can contain it.
 */
export class KafkaWireError extends Error {
  constructor(
    message: string,
    readonly connectionLost: boolean,
  ) {
    super(message);
  }
}

interface BrokerHandle {
  versions: Record<string, { minVersion: number; maxVersion: number }> | null;
  connectionPool: { host: string; port: number; send(protocol: unknown): Promise<unknown> };
  lookupRequest(apiKey: number, definition: unknown): (args: unknown) => { request: unknown; response: { decode: unknown } };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
}

export interface ValidateOnly {
  validateOnly?: boolean;
}

export interface WireOptions {
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Called once per request sent, by API name (a client-side count for benchmarks and tests). */
  onRequest?: (apiName: string) => void;
}

/** Partitions with their leader, for requests Kafka answers only on the leader (ListOffsets). */
export interface PartitionLayout {
  brokers: ClusterMetadata['brokers'];
  topics: Array<{ name: string; internal: boolean; partitions: Array<{ partition: number; leader: number; replicas: number[] }> }>;
}

export class KafkaWire {
  /** Where writes go: the seed, until a broker answers NOT_CONTROLLER (ZooKeeper mode). */
  private writer: BrokerHandle;
  /** Connections to single brokers by node id, opened once (the live reports' per-broker reads). */
  private readonly nodes = new Map<number, BrokerHandle>();
  /** The brokers of the last Metadata read, for `readFrom`. */
  private brokers: ClusterMetadata['brokers'] = [];
  /** The cluster's id from the last Metadata read (null from a broker that has none to give). */
  private seenClusterId: string | null | undefined;
  private readonly timeoutMs: number;

  private constructor(
    /** How this session reached the cluster (for messages: never print its password). */
    readonly connection: KafkaConnection,
    private readonly builder: { build(destination?: { host: string; port: number }): Promise<unknown> },
    private readonly seed: BrokerHandle,
    private readonly options: WireOptions,
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? 30000;
    this.writer = seed;
  }

  static async open(connection: KafkaConnection, options: WireOptions = {}): Promise<KafkaWire> {
    const logger = quietLogger();
    // The bootstrap addresses as meshform reads them (kafkajs splits `[::1]:9092` at its first ':').
    const seeds = connection.brokers.map(brokerAddress);
    const builder = connectionPoolBuilder({
      socketFactory: socketFactory(),
      brokers: connection.brokers,
      ssl: connection.tls ? true : undefined,
      // The one place the Kafka password leaves its Secret: into the SASL handshake.
      sasl: connection.sasl && { ...connection.sasl, password: connection.sasl.password.reveal() },
      clientId: connection.clientId,
      requestTimeout: options.requestTimeoutMs ?? 30000,
      enforceRequestTimeout: true,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      logger,
    });
    // Each build() takes the next bootstrap address: try them in turn until one answers.
    let lastError: unknown;
    for (const address of seeds) {
      const seed = new Broker({ connectionPool: await builder.build(address), logger, allowAutoTopicCreation: false }) as BrokerHandle;
      try {
        await seed.connect();
        return new KafkaWire(connection, builder, seed, options);
      } catch (e) {
        lastError = e;
        await seed.disconnect().catch(() => undefined);
        if (!isConnectionLoss(e)) break;
      }
    }
    throw wireError(lastError, `cannot connect to Kafka at ${connection.brokers.join(',')}`);
  }

  async close(): Promise<void> {
    const handles = new Set([this.seed, this.writer, ...this.nodes.values()]);
    await Promise.all([...handles].map((h) => h.disconnect().catch(() => undefined)));
  }

  /** Metadata of the named topics, or of every topic when none are named (kafkajs sends [] as null). */
  private async readMetadata(topics: readonly string[] = []) {
    const data = (await this.send(this.seed, apiKeys.Metadata, requests.Metadata, {
      topics,
      allowAutoTopicCreation: false,
    })) as {
      clusterId?: string | null;
      controllerId: number;
      brokers: ClusterMetadata['brokers'];
      topicMetadata: {
        topicErrorCode: number;
        topic: string;
        isInternal: boolean;
        partitionMetadata: { partitionId: number; leader: number; replicas: number[] }[];
      }[];
    };
    this.brokers = data.brokers;
    this.seenClusterId = data.clusterId ?? null;
    return data;
  }

  /** The id of the cluster this session talks to, as its last Metadata answer gave it; undefined before one. */
  get clusterId(): string | null | undefined {
    return this.seenClusterId;
  }

  /**
   * Every topic the principal may describe, with partition count and replication factor; with
   * `only`, just those of the named topics that exist (an empty list asks for none and sends nothing).
   */
  async metadata(only?: readonly string[]): Promise<ClusterMetadata> {
    if (only && only.length === 0) return { controllerId: -1, brokers: this.brokers, topics: [] };
    const data = await this.readMetadata(only);
    const topics = data.topicMetadata
      .filter((t) => t.topicErrorCode === 0 && !t.isInternal)
      .map((t) => ({
        name: t.topic,
        partitions: t.partitionMetadata.length,
        replicas: t.partitionMetadata[0]?.replicas.length ?? 0,
      }));
    return { controllerId: data.controllerId, brokers: data.brokers, topics };
  }

  /** Every topic the principal may describe (internal ones flagged), each partition with its leader. */
  async partitionLayout(): Promise<PartitionLayout> {
    const data = await this.readMetadata();
    return {
      brokers: data.brokers,
      topics: data.topicMetadata
        .filter((t) => t.topicErrorCode === 0)
        .map((t) => ({
          name: t.topic,
          internal: t.isInternal,
          partitions: t.partitionMetadata
            .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas }))
            .sort((a, b) => a.partition - b.partition),
        })),
    };
  }

  /** The versions of an API the cluster serves (the seed broker's ApiVersions answer), or undefined. */
  servedVersions(apiKey: number): { minVersion: number; maxVersion: number } | undefined {
    return this.seed.versions?.[apiKey] ?? undefined;
  }

  /**
   * One read sent to one broker (a node id from the last metadata read): requests kafkajs has by
   * API key (`requests.ListOffsets`), or a hand-written protocol (src/adapters/kafka/client/requests/).
   * Unlike the engine's reads, these need every broker's advertised address to be reachable:
   * Kafka answers them per broker (log dirs, groups a broker coordinates, partitions it leads).
   */
  async readFrom<T>(nodeId: number, request: { apiKey: number; definition: unknown; args: unknown } | { protocol: { request: { apiName: string } } }): Promise<T> {
    const broker = await this.node(nodeId);
    if ('protocol' in request) {
      await this.connected(broker);
      return (await this.sendRaw(broker, request.protocol.request.apiName, request.protocol)) as T;
    }
    return (await this.send(broker, request.apiKey, request.definition, request.args)) as T;
  }

  /** All configs of the named topics in one DescribeConfigs. */
  async describeTopicConfigs(topics: readonly string[]): Promise<TopicConfigs[]> {
    if (topics.length === 0) return [];
    const data = (await this.send(this.seed, apiKeys.DescribeConfigs, requests.DescribeConfigs, {
      resources: topics.map((name) => ({ type: CONFIG_RESOURCE_TOPIC, name })),
      includeSynonyms: false,
    })) as {
      resources: {
        errorCode: number;
        errorMessage: string | null;
        resourceName: string;
        configEntries: { configName: string; configValue: string | null; isDefault: boolean; readOnly: boolean; configSource?: number; isSensitive: boolean }[];
      }[];
    };
    return data.resources.map((r) => ({
      topic: r.resourceName,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      entries: r.configEntries.map((e) => ({
        name: e.configName,
        value: e.configValue,
        // v0 has no config source: a non-default, writable value is the best available signal.
        setOnTopic: e.configSource === undefined ? !e.isDefault && !e.readOnly : e.configSource === CONFIG_SOURCE_TOPIC,
        sensitive: e.isSensitive,
      })),
    }));
  }

  /** Every ACL binding on the cluster, in one DescribeAcls (the protocol takes one filter). */
  async describeAllAcls(): Promise<KafkaAclProps[]> {
    return this.describeAcls();
  }

  /**
   * The ACL bindings on one resource pattern (type, pattern type and name exactly as bound, any
   * principal, operation and permission), or on every resource when none is given.
   */
  async describeAcls(pattern?: Pick<KafkaAclProps, 'resourceType' | 'patternType' | 'resourceName'>): Promise<KafkaAclProps[]> {
    const data = (await this.send(this.seed, apiKeys.DescribeAcls, requests.DescribeAcls, {
      resourceType: pattern ? RESOURCE_TYPE[pattern.resourceType] : RESOURCE_TYPE.ANY,
      resourceName: pattern ? pattern.resourceName : null,
      resourcePatternType: pattern ? PATTERN_TYPE[pattern.patternType] : PATTERN_TYPE.ANY,
      principal: null,
      host: null,
      operation: OPERATION.ANY,
      permissionType: PERMISSION.ANY,
    })) as {
      errorCode: number;
      errorMessage: string | null;
      resources: { resourceType: number; resourceName: string; resourcePatternType?: number; acls: { principal: string; host: string; operation: number; permissionType: number }[] }[];
    };
    if (data.errorCode === 54) {
      throw new KafkaWireError('the cluster has no authorizer (SECURITY_DISABLED): enable one (authorizer.class.name) so meshform can manage ACLs', false);
    }
    if (isAuthorizationError(data.errorCode)) {
      throw new KafkaWireError(`cannot read the cluster's ACLs: ${authorizationMessage(data.errorCode, this.connection, RIGHTS.describeAcls())}`, false);
    }
    if (data.errorCode !== 0) {
      throw new KafkaWireError(`DescribeAcls failed: ${errorName(data.errorCode)}${data.errorMessage ? `: ${data.errorMessage}` : ''}`, false);
    }
    const bindings: KafkaAclProps[] = [];
    for (const r of data.resources) {
      const resourceType = nameOf(RESOURCE_TYPE, r.resourceType);
      const patternType = nameOf(PATTERN_TYPE, r.resourcePatternType ?? PATTERN_TYPE.LITERAL);
      if (!resourceType || !patternType) continue;
      for (const a of r.acls) {
        const operation = nameOf(OPERATION, a.operation);
        const permission = nameOf(PERMISSION, a.permissionType);
        if (!operation || !permission) continue;
        bindings.push({ principal: a.principal, resourceType, resourceName: r.resourceName, patternType, operation, permission, host: a.host });
      }
    }
    return bindings;
  }

  /** Whether the cluster serves DescribeClientQuotas and AlterClientQuotas (Kafka 2.6+). */
  servesClientQuotas(): boolean {
    return (
      pickVersion(this.servedVersions(DESCRIBE_CLIENT_QUOTAS.apiKey), DESCRIBE_CLIENT_QUOTAS.versions) !== undefined &&
      pickVersion(this.servedVersions(ALTER_CLIENT_QUOTAS.apiKey), ALTER_CLIENT_QUOTAS.versions) !== undefined
    );
  }

  /**
   * Every client quota set on a `user` entity alone (not the default user, not user + client-id),
   * in one DescribeClientQuotas.
   */
  async describeUserQuotas(): Promise<UserQuotas[]> {
    await this.connected(this.seed);
    const version = pickVersion(this.servedVersions(DESCRIBE_CLIENT_QUOTAS.apiKey), DESCRIBE_CLIENT_QUOTAS.versions);
    if (version === undefined) throw new KafkaWireError('the cluster does not serve DescribeClientQuotas (Kafka 2.6 or later does): client quotas cannot be read', false);
    const data = (await this.sendRaw(this.seed, DESCRIBE_CLIENT_QUOTAS.name, describeClientQuotas(version, [{ entityType: 'user', matchType: QUOTA_MATCH.ANY, match: null }], true))) as Awaited<
      ReturnType<ReturnType<typeof describeClientQuotas>['response']['decode']>
    >;
    if (isAuthorizationError(data.errorCode)) {
      throw new KafkaWireError(`cannot read client quotas: ${authorizationMessage(data.errorCode, this.connection, RIGHTS.describeQuotas())}`, false);
    }
    if (data.errorCode !== 0) throw new KafkaWireError(`DescribeClientQuotas failed: ${errorName(data.errorCode)}${data.errorMessage ? `: ${data.errorMessage}` : ''}`, false);
    const out: UserQuotas[] = [];
    for (const entry of data.entries) {
      const [only] = entry.entity;
      if (entry.entity.length !== 1 || only.entityType !== 'user' || only.entityName === null) continue;
      out.push({ user: only.entityName, values: entry.values });
    }
    return out;
  }

  /** Sets and removes client-quota keys (value null: remove), one entry per entity; results in the order given. */
  async alterClientQuotas(alterations: readonly QuotaAlteration[], { validateOnly = false }: ValidateOnly = {}): Promise<ItemResult[]> {
    if (alterations.length === 0) return [];
    await this.connected(this.seed);
    const version = pickVersion(this.servedVersions(ALTER_CLIENT_QUOTAS.apiKey), ALTER_CLIENT_QUOTAS.versions);
    if (version === undefined) throw new KafkaWireError('the cluster does not serve AlterClientQuotas (Kafka 2.6 or later does): client quotas cannot be set', false);
    return this.write(alterations, async (broker, batch) => {
      await this.connected(broker);
      const answered = (await this.sendRaw(broker, ALTER_CLIENT_QUOTAS.name, alterClientQuotas(version, batch, validateOnly))) as Array<{ errorCode: number; errorMessage: string | null; entity: QuotaAlteration['entity'] }>;
      // Kafka answers per entity, in no promised order: matched by the entity.
      const key = (entity: QuotaAlteration['entity']) => JSON.stringify([...entity].sort((a, b) => (a.entityType < b.entityType ? -1 : 1)));
      const byEntity = new Map(answered.map((a) => [key(a.entity), { errorCode: a.errorCode, errorMessage: a.errorMessage }]));
      return batch.map((a) => byEntity.get(key(a.entity)) ?? { errorCode: -1, errorMessage: 'the broker did not answer for this entity' });
    });
  }

  /** `validateOnly`: the broker runs every check and creates nothing (also below). */
  async createTopics(topics: readonly NewTopic[], { validateOnly = false }: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    return this.writeTopics(topics, (t) => t.topic, async (broker, batch) => {
      await this.connected(broker);
      const version = pickVersion(broker.versions?.[CREATE_TOPICS.apiKey], CREATE_TOPICS.versions);
      if (version !== undefined) {
        // v5+: each created topic comes back as the controller made it.
        const answered = (await this.sendRaw(broker, CREATE_TOPICS.name, createTopicsRequest(version, batch, this.timeoutMs, validateOnly))) as CreatedTopic[];
        return answered.map((t) => ({
          topic: t.topic,
          errorCode: t.errorCode,
          errorMessage: t.errorMessage,
          ...(t.errorCode === 0 &&
            t.partitions >= 0 &&
            t.replicas >= 0 && {
              created: {
                partitions: t.partitions,
                replicas: t.replicas,
                ...(t.configs && t.configErrorCode === 0 && { configs: t.configs.map((c) => ({ name: c.name, value: c.value, setOnTopic: c.source === CONFIG_SOURCE_TOPIC, sensitive: c.sensitive })) }),
              },
            }),
        }));
      }
      const data = (await this.send(broker, apiKeys.CreateTopics, requests.CreateTopics, {
        topics: batch.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          replicationFactor: t.replicas,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
        validateOnly,
        timeout: this.timeoutMs,
      })) as { topicErrors: TopicError[] };
      return data.topicErrors;
    });
  }

  async createPartitions(increases: readonly { topic: string; count: number }[], { validateOnly = false }: ValidateOnly = {}): Promise<Map<string, ItemResult>> {
    return this.writeTopics(increases, (i) => i.topic, async (broker, batch) => {
      const data = (await this.send(broker, apiKeys.CreatePartitions, requests.CreatePartitions, {
        topicPartitions: batch.map((i) => ({ topic: i.topic, count: i.count })),
        validateOnly,
        timeout: this.timeoutMs,
      })) as { topicErrors: TopicError[] };
      return data.topicErrors;
    });
  }

  async deleteTopics(topics: readonly string[]): Promise<Map<string, ItemResult>> {
    return this.writeTopics(topics, (t) => t, async (broker, batch) => {
      const data = (await this.send(broker, apiKeys.DeleteTopics, requests.DeleteTopics, { topics: batch, timeout: this.timeoutMs })) as {
        topicErrors: TopicError[];
      };
      return data.topicErrors;
    });
  }

  /**
   * Changes only the named keys. Falls back to AlterConfigs (which replaces the topic's whole set)
   * with `fullConfig` when the cluster predates IncrementalAlterConfigs (Kafka < 2.3).
   */
  async alterTopicConfigs(
    alterations: readonly (TopicConfigAlteration & { fullConfig: Record<string, string> })[],
    { validateOnly = false }: ValidateOnly = {},
  ): Promise<Map<string, ItemResult>> {
    return this.writeTopics(alterations, (a) => a.topic, async (broker, batch) => {
      await this.connected(broker);
      if (broker.versions?.[API_KEY.IncrementalAlterConfigs]) {
        const data = (await this.sendRaw(broker, 'IncrementalAlterConfigs', incrementalAlterConfigsRequest([...batch], validateOnly))) as {
          responses: AlterResult[];
        };
        return data.responses;
      }
      const data = (await this.send(broker, apiKeys.AlterConfigs, requests.AlterConfigs, {
        resources: batch.map((a) => ({
          type: CONFIG_RESOURCE_TOPIC,
          name: a.topic,
          configEntries: Object.entries(a.fullConfig).map(([name, value]) => ({ name, value })),
        })),
        validateOnly,
      })) as { resources: { resourceName: string; errorCode: number; errorMessage: string | null }[] };
      return data.resources.map((r) => ({ topic: r.resourceName, errorCode: r.errorCode, errorMessage: r.errorMessage }));
    });
  }

  /** Results in the order of `acls`. */
  async createAcls(acls: readonly KafkaAclProps[]): Promise<ItemResult[]> {
    return this.write(acls, async (broker, batch) => {
      const data = (await this.send(broker, apiKeys.CreateAcls, requests.CreateAcls, { creations: batch.map(toWireAcl) })) as {
        creationResponses: ItemResult[];
      };
      return data.creationResponses;
    });
  }

  /** One exact-match filter per binding; results in the order of `acls`. */
  async deleteAcls(acls: readonly KafkaAclProps[]): Promise<ItemResult[]> {
    return this.write(acls, async (broker, batch) => {
      const data = (await this.send(broker, apiKeys.DeleteAcls, requests.DeleteAcls, { filters: batch.map(toWireAcl) })) as {
        filterResponses: ItemResult[];
      };
      return data.filterResponses;
    });
  }

  /** A write answered per topic (by name): results by topic, the NOT_CONTROLLER ones sent again to the controller. */
  private async writeTopics<T>(
    items: readonly T[],
    topicOf: (item: T) => string,
    send: (broker: BrokerHandle, batch: T[]) => Promise<TopicError[]>,
  ): Promise<Map<string, ItemResult>> {
    const results = await this.write(items, async (broker, batch) => {
      const answered = byTopic(await send(broker, batch));
      return batch.map((item) => answered.get(topicOf(item)));
    });
    const byName = new Map<string, ItemResult>();
    items.forEach((item, i) => results[i] && byName.set(topicOf(item), results[i]));
    return byName;
  }

  /**
   * Sends a write to the current writer (the seed, see the file comment); items a broker answers
   * with NOT_CONTROLLER (ZooKeeper mode) go again, alone, to the controller of fresh Metadata.
   * Results in the order of `items`.
   */
  private async write<T, R extends ItemResult | undefined>(items: readonly T[], send: (broker: BrokerHandle, batch: T[]) => Promise<R[]>): Promise<R[]> {
    const results = await send(this.writer, [...items]);
    for (let round = 1; round <= CONTROLLER_ROUNDS; round++) {
      const redo = results.flatMap((r, i) => (r?.errorCode === NOT_CONTROLLER ? [i] : []));
      if (redo.length === 0) break;
      this.writer = await this.controller();
      const again = await send(this.writer, redo.map((i) => items[i]));
      redo.forEach((i, j) => (results[i] = again[j]));
    }
    return results;
  }

  /** The controller named by fresh Metadata, connected at the address the cluster advertises for it. */
  private async controller(): Promise<BrokerHandle> {
    const data = (await this.send(this.seed, apiKeys.Metadata, requests.Metadata, { topics: [], allowAutoTopicCreation: false })) as {
      controllerId: number;
      brokers: ClusterMetadata['brokers'];
    };
    const node = data.brokers.find((b) => b.nodeId === data.controllerId);
    if (!node) throw new KafkaWireError(`a broker answered NOT_CONTROLLER, but the cluster names no live controller (controller id ${data.controllerId})`, false);
    if (this.writer !== this.seed) await this.writer.disconnect().catch(() => undefined);
    return this.connectAdvertised(node, `the controller, broker ${node.nodeId}`, '; ZooKeeper-mode topic writes must go there');
  }

  /** A new connection to a broker at the address the cluster advertises for it. */
  private async connectAdvertised(node: ClusterMetadata['brokers'][number], what: string, why = ''): Promise<BrokerHandle> {
    const broker = new Broker({
      connectionPool: await this.builder.build({ host: node.host, port: node.port }),
      logger: quietLogger(),
      allowAutoTopicCreation: false,
    }) as BrokerHandle;
    try {
      await broker.connect();
    } catch (e) {
      await broker.disconnect().catch(() => undefined);
      throw wireError(e, `cannot reach ${what} at ${formatAddress(node)} as the cluster advertises it (advertised.listeners)${why}`);
    }
    return broker;
  }

  /**
   * The connection to one broker: the seed when it is that broker (same address, or the only
   * broker: behind a port-forward its advertised address may not be reachable), else one opened
   * at its advertised address, once.
   */
  private async node(nodeId: number): Promise<BrokerHandle> {
    const open = this.nodes.get(nodeId);
    if (open) return open;
    const node = this.brokers.find((b) => b.nodeId === nodeId);
    if (!node) throw new KafkaWireError(`broker ${nodeId} is not in the cluster's metadata`, false);
    const handle = this.brokers.length > 1 && formatAddress(node) !== formatAddress(this.seed.connectionPool) ? await this.connectAdvertised(node, `broker ${node.nodeId}`) : this.seed;
    this.nodes.set(nodeId, handle);
    return handle;
  }

  /** Connects (ApiVersions, SASL) a broker that is not connected yet or lost its connection. */
  private async connected(broker: BrokerHandle): Promise<void> {
    if (broker.isConnected()) return;
    try {
      await broker.connect();
    } catch (e) {
      await broker.disconnect().catch(() => undefined);
      throw wireError(e, `cannot connect to ${formatAddress(broker.connectionPool)}`);
    }
  }

  private async send(broker: BrokerHandle, apiKey: number, definition: unknown, args: unknown): Promise<unknown> {
    // The request is encoded for the versions this broker supports, known only once it is connected.
    await this.connected(broker);
    let protocol: { request: unknown; response: { decode: unknown } };
    try {
      protocol = broker.lookupRequest(apiKey, definition)(args);
    } catch (e) {
      throw wireError(e, 'the cluster does not support a request meshform needs');
    }
    const apiName = Object.keys(apiKeys).find((k) => apiKeys[k] === apiKey) ?? String(apiKey);
    // Items are judged one by one by the caller, so the decoder's result is taken as it is.
    return this.sendRaw(broker, apiName, { request: protocol.request, response: { decode: protocol.response.decode, parse: async (d: unknown) => d } });
  }

  /** Reads are retried once on a new connection; a mutation never is (its outcome is unknown). */
  private async sendRaw(broker: BrokerHandle, apiName: string, protocol: unknown): Promise<unknown> {
    const attempts = READS.has(apiName) ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!broker.isConnected()) await broker.connect();
        this.options.onRequest?.(apiName);
        return await broker.connectionPool.send({ ...(protocol as object), requestTimeout: this.timeoutMs, logResponseError: false });
      } catch (e) {
        const lost = isConnectionLoss(e);
        if (lost) await broker.disconnect().catch(() => undefined);
        if (!lost || attempt >= attempts) throw wireError(e, `${apiName} failed`, lost ? closedHint(this.connection) : '');
      }
    }
  }
}

const READS = new Set(['Metadata', 'DescribeConfigs', 'DescribeAcls', 'DescribeLogDirs', 'ListGroups', 'OffsetFetch', 'ListOffsets', 'Fetch', 'DescribeClientQuotas']);
/** Kafka's NOT_CONTROLLER error code. */
const NOT_CONTROLLER = 41;
/** How often a write follows a moving controller before its items are reported NOT_CONTROLLER. */
const CONTROLLER_ROUNDS = 3;

interface TopicError {
  topic: string;
  errorCode: number;
  errorMessage?: string | null;
  created?: ItemResult['created'];
}

/** An ACL binding in kafkajs's request shape (its codes). */
export function toWireAcl(acl: KafkaAclProps) {
  return {
    resourceType: RESOURCE_TYPE[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: PATTERN_TYPE[acl.patternType],
    principal: acl.principal,
    host: acl.host,
    operation: OPERATION[acl.operation],
    permissionType: PERMISSION[acl.permission],
  };
}

function byTopic(items: TopicError[]): Map<string, ItemResult> {
  return new Map(items.map((i) => [i.topic, { errorCode: i.errorCode, errorMessage: i.errorMessage ?? null, ...(i.created && { created: i.created }) }]));
}

function isConnectionLoss(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  return /Connection|RequestTimeout|Network/i.test(name);
}

/** A SASL listener drops the requests of a client that did not authenticate, without an answer: say so. */
function closedHint(connection: KafkaConnection): string {
  if (connection.sasl) return '';
  return ` (the broker closed the connection: if its listener requires SASL, set ${KAFKA_ENV.mechanism}, ${KAFKA_ENV.username} and ${KAFKA_ENV.password})`;
}

function wireError(e: unknown, context: string, hint = ''): KafkaWireError {
  const detail = e instanceof Error ? e.message : String(e);
  return new KafkaWireError(`${context}: ${detail}${hint || certificateHint(detail)}`, isConnectionLoss(e));
}

/** Node's words for a server certificate it cannot verify (self-signed, private CA, expired, wrong name). */
const CERTIFICATE_PROBLEM = /certificate|unable to verify|CERT_|altnames/i;

function certificateHint(detail: string): string {
  if (!CERTIFICATE_PROBLEM.test(detail)) return '';
  return " (meshform checks the cluster's TLS certificate against the system's trust store; for a private CA, give it to Node: NODE_EXTRA_CA_CERTS=/path/to/ca.pem)";
}
