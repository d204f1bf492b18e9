import { notTheController } from './controller-only';
import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { describeTopicConfigs } from '../cluster/config-entries';
import { validateAssignment, validateReplicationFactor } from '../cluster/replica-assignment';
import { validateTopicConfig } from '../cluster/topic-configs';
import { validateTopicName } from '../cluster/topic-name';
import { ZERO_UUID } from '../protocol/codec';
import { ErrorCode, KafkaError, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';
import { repeatedKeys } from './repeated-keys';

/** The broker defaults num.partitions and default.replication.factor, used when a request says -1. */
const DEFAULT_PARTITIONS = 1;
const DEFAULT_REPLICATION_FACTOR = 1;

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: Array<{ partitionIndex: number; brokerIds: number[] }>;
  configs: Array<{ name: string; value: string | null }>;
}

interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

interface CreatableTopicResult {
  name: string;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
  topicConfigErrorCode: number;
  numPartitions: number;
  replicationFactor: number;
  configs: Array<{ name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }> | null;
}

const request = message('5+', [
  arrayOf(
    'topics',
    [
      field('name', 'string', '0+'),
      field('numPartitions', 'int32', '0+'),
      field('replicationFactor', 'int16', '0+'),
      arrayOf('assignments', [field('partitionIndex', 'int32', '0+'), arrayOf('brokerIds', 'int32', '0+')], '0+'),
      arrayOf('configs', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullable: '0+' })], '0+'),
    ],
    '0+',
  ),
  field('timeoutMs', 'int32', '0+', { default: 60000 }),
  field('validateOnly', 'bool', '1+'),
]);

const response = message('5+', [
  field('throttleTimeMs', 'int32', '2+'),
  arrayOf(
    'topics',
    [
      field('name', 'string', '0+'),
      field('topicId', 'uuid', '7+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '1+', { nullable: '0+', default: null }),
      field('topicConfigErrorCode', 'int16', '5+', { tag: 0 }),
      field('numPartitions', 'int32', '5+', { default: -1 }),
      field('replicationFactor', 'int16', '5+', { default: -1 }),
      arrayOf(
        'configs',
        [
          field('name', 'string', '5+'),
          field('value', 'string', '5+', { nullable: '5+' }),
          field('readOnly', 'bool', '5+'),
          field('configSource', 'int8', '5+', { default: -1 }),
          field('isSensitive', 'bool', '5+'),
        ],
        '5+',
        { nullable: '5+' },
      ),
    ],
    '0+',
  ),
]);

interface PlannedTopic {
  assignment: number[][];
  configs: Map<string, string>;
}

function plan(topic: CreatableTopic, context: RequestContext): PlannedTopic {
  const { cluster } = context;
  validateTopicName(topic.name);
  if (cluster.topic(topic.name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic.name}' already exists.`);
  let assignment: number[][];
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      throw new KafkaError(
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      );
    }
    const ordered = [...topic.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
    ordered.forEach((a, i) => {
      if (a.partitionIndex !== i) throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Partitions should be a consecutive 0-based integer sequence');
    });
    assignment = ordered.map((a) => a.brokerIds);
    validateAssignment(cluster, assignment);
  } else {
    const partitions = topic.numPartitions === -1 ? DEFAULT_PARTITIONS : topic.numPartitions;
    if (partitions < 1) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.');
    const replicationFactor = topic.replicationFactor === -1 ? DEFAULT_REPLICATION_FACTOR : topic.replicationFactor;
    validateReplicationFactor(cluster, replicationFactor);
    assignment = cluster.assignReplicas(0, partitions, replicationFactor, cluster.topicCount % cluster.nodes.length);
  }
  const configs = new Map<string, string>();
  for (const c of topic.configs) configs.set(c.name, validateTopicConfig(c.name, c.value));
  return { assignment, configs };
}

function failedTopic(name: string, errorCode: number, errorMessage: string | null): CreatableTopicResult {
  return { name, topicId: ZERO_UUID, errorCode, errorMessage, topicConfigErrorCode: ErrorCode.NONE, numPartitions: -1, replicationFactor: -1, configs: null };
}

function resultFor(topic: CreatableTopic, context: RequestContext, validateOnly: boolean, duplicated: boolean, clusterCreate: boolean): CreatableTopicResult {
  const failed = (errorCode: number, errorMessage: string) => failedTopic(topic.name, errorCode, errorMessage);
  if (duplicated) {
    return failed(ErrorCode.INVALID_REQUEST, `Create topics request from client \`${context.header.clientId}\` contains multiple entries for the following topics: ${topic.name}`);
  }
  if (!clusterCreate && !authorize(context, ResourceType.TOPIC, topic.name, AclOperation.CREATE)) {
    return failed(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
  }
  return answerOrRefusal(() => create(topic, plan(topic, context), context, validateOnly), (e) => failed(e.code, e.message));
}

function create(topic: CreatableTopic, planned: PlannedTopic, context: RequestContext, validateOnly: boolean): CreatableTopicResult {
  const created = validateOnly ? null : context.cluster.createTopic(topic.name, planned.assignment, planned.configs);
  const mayDescribeConfigs = authorize(context, ResourceType.TOPIC, topic.name, AclOperation.DESCRIBE_CONFIGS);
  return {
    name: topic.name,
    topicId: created?.topicId ?? ZERO_UUID,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topicConfigErrorCode: mayDescribeConfigs ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED,
    numPartitions: planned.assignment.length,
    replicationFactor: planned.assignment[0].length,
    configs: mayDescribeConfigs ? describeTopicConfigs(planned.configs) : null,
  };
}

/** Needs CREATE on the cluster, or else CREATE on each topic. `validateOnly` runs every check and creates nothing. */
export const createTopics = defineApi<CreateTopicsRequest, { throttleTimeMs: number; topics: CreatableTopicResult[] }>({
  apiKey: 19,
  name: 'CreateTopics',
  versions: '0-7',
  request,
  response,
  handle: (req, context) => {
    if (notTheController(context)) {
      return { throttleTimeMs: 0, topics: req.topics.map((t) => failedTopic(t.name, ErrorCode.NOT_CONTROLLER, null)) };
    }
    const repeated = repeatedKeys(req.topics, (t) => t.name);
    const clusterCreate = authorize(context, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME, AclOperation.CREATE);
    const topics = req.topics.map((t) => resultFor(t, context, req.validateOnly, repeated.has(t.name), clusterCreate));
    return { throttleTimeMs: 0, topics };
  },
});
