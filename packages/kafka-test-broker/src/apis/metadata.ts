import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { TopicState } from '../cluster/cluster-state';
import { validateTopicName } from '../cluster/topic-name';
import { ErrorCode, answerOrRefusal } from '../protocol/errors';
import { ZERO_UUID } from '../protocol/codec';
import { arrayOf, field, message } from '../protocol/schema';
import { OPERATIONS_NOT_REQUESTED, RequestContext, authorize, authorizedOperations, defineApi } from './api';

interface MetadataRequest {
  topics: Array<{ topicId: string; name: string | null }> | null;
  allowAutoTopicCreation: boolean;
  includeClusterAuthorizedOperations: boolean;
  includeTopicAuthorizedOperations: boolean;
}

interface TopicMetadata {
  errorCode: number;
  name: string | null;
  topicId: string;
  isInternal: boolean;
  partitions: Array<{
    errorCode: number;
    partitionIndex: number;
    leaderId: number;
    leaderEpoch: number;
    replicaNodes: number[];
    isrNodes: number[];
    offlineReplicas: number[];
  }>;
  topicAuthorizedOperations: number;
}

interface MetadataResponse {
  throttleTimeMs: number;
  brokers: Array<{ nodeId: number; host: string; port: number; rack: string | null }>;
  clusterId: string | null;
  controllerId: number;
  topics: TopicMetadata[];
  clusterAuthorizedOperations: number;
}

const request = message('9+', [
  arrayOf('topics', [field('topicId', 'uuid', '10+'), field('name', 'string', '0+', { nullable: '10+' })], '0+', { nullable: '1+' }),
  field('allowAutoTopicCreation', 'bool', '4+', { default: true }),
  field('includeClusterAuthorizedOperations', 'bool', '8-10'),
  field('includeTopicAuthorizedOperations', 'bool', '8+'),
]);

const response = message('9+', [
  field('throttleTimeMs', 'int32', '3+'),
  arrayOf(
    'brokers',
    [field('nodeId', 'int32', '0+'), field('host', 'string', '0+'), field('port', 'int32', '0+'), field('rack', 'string', '1+', { nullable: '1+', default: null })],
    '0+',
  ),
  field('clusterId', 'string', '2+', { nullable: '2+', default: null }),
  field('controllerId', 'int32', '1+', { default: -1 }),
  arrayOf(
    'topics',
    [
      field('errorCode', 'int16', '0+'),
      field('name', 'string', '0+', { nullable: '12+' }),
      field('topicId', 'uuid', '10+'),
      field('isInternal', 'bool', '1+'),
      arrayOf(
        'partitions',
        [
          field('errorCode', 'int16', '0+'),
          field('partitionIndex', 'int32', '0+'),
          field('leaderId', 'int32', '0+'),
          field('leaderEpoch', 'int32', '7+', { default: -1 }),
          arrayOf('replicaNodes', 'int32', '0+'),
          arrayOf('isrNodes', 'int32', '0+'),
          arrayOf('offlineReplicas', 'int32', '5+'),
        ],
        '0+',
      ),
      field('topicAuthorizedOperations', 'int32', '8+', { default: OPERATIONS_NOT_REQUESTED }),
    ],
    '0+',
  ),
  field('clusterAuthorizedOperations', 'int32', '8-10', { default: OPERATIONS_NOT_REQUESTED }),
]);

function topicMetadata(topic: TopicState, context: RequestContext, withOperations: boolean): TopicMetadata {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: false,
    partitions: topic.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: p.leader,
      leaderEpoch: 0,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: authorizedOperations(context, withOperations, ResourceType.TOPIC, topic.name),
  };
}

function failedTopic(name: string | null, topicId: string, errorCode: number): TopicMetadata {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED };
}

/**
 * Requested topics the caller may not DESCRIBE answer TOPIC_AUTHORIZATION_FAILED whether they exist
 * or not (existence is not leaked); a listing of all topics silently leaves them out.
 * Topics are never created automatically (a real broker's auto.create.topics.enable is off here).
 */
function requestedTopic(entry: { topicId: string; name: string | null }, context: RequestContext, withOperations: boolean): TopicMetadata {
  if (entry.name === null) {
    const byId = context.cluster.topicById(entry.topicId);
    if (!byId || !authorize(context, ResourceType.TOPIC, byId.name, AclOperation.DESCRIBE)) {
      return failedTopic(null, entry.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
    }
    return topicMetadata(byId, context, withOperations);
  }
  const name = entry.name;
  if (!authorize(context, ResourceType.TOPIC, name, AclOperation.DESCRIBE)) {
    return failedTopic(name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  }
  return answerOrRefusal(
    () => {
      validateTopicName(name);
      const topic = context.cluster.topic(name);
      return topic ? topicMetadata(topic, context, withOperations) : failedTopic(name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    },
    (e) => failedTopic(name, ZERO_UUID, e.code),
  );
}

export const metadata = defineApi<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  versions: '0-12',
  request,
  response,
  handle: (req, context) => {
    // v0 has no null array: an empty list there means "all topics".
    const allTopics = req.topics === null || (context.apiVersion === 0 && req.topics.length === 0);
    const withOperations = req.includeTopicAuthorizedOperations;
    const topics = allTopics
      ? context.cluster
          .allTopics()
          .filter((t) => authorize(context, ResourceType.TOPIC, t.name, AclOperation.DESCRIBE))
          .map((t) => topicMetadata(t, context, withOperations))
      : (req.topics ?? []).map((entry) => requestedTopic(entry, context, withOperations));
    return {
      throttleTimeMs: 0,
      brokers: context.cluster.nodes.map((n) => ({ nodeId: n.nodeId, host: n.host, port: n.port, rack: null })),
      clusterId: context.cluster.clusterId,
      controllerId: context.cluster.controllerId,
      topics,
      clusterAuthorizedOperations: authorizedOperations(context, req.includeClusterAuthorizedOperations, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME),
    };
  },
});
