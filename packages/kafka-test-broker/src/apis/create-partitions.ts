import { notTheController } from './controller-only';
import { AclOperation, ResourceType } from '../cluster/acl';
import { validateAssignment } from '../cluster/replica-assignment';
import { ErrorCode, ErrorResult, KafkaError, errorResultOf } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, defineApi, requireAccess } from './api';
import { repeatedKeys } from './repeated-keys';

interface CreatePartitionsTopic {
  name: string;
  count: number;
  assignments: Array<{ brokerIds: number[] }> | null;
}

interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

type TopicResult = { name: string } & ErrorResult;

const request = message('2+', [
  arrayOf(
    'topics',
    [
      field('name', 'string', '0+'),
      field('count', 'int32', '0+'),
      arrayOf('assignments', [arrayOf('brokerIds', 'int32', '0+')], '0+', { nullable: '0+' }),
    ],
    '0+',
  ),
  field('timeoutMs', 'int32', '0+'),
  field('validateOnly', 'bool', '0+'),
]);

const response = message('2+', [
  field('throttleTimeMs', 'int32', '0+'),
  arrayOf(
    'results',
    [field('name', 'string', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+', default: null })],
    '0+',
  ),
]);

function grow(topic: CreatePartitionsTopic, context: RequestContext, validateOnly: boolean): void {
  const { cluster } = context;
  requireAccess(context, ResourceType.TOPIC, topic.name, AclOperation.ALTER);
  const state = cluster.topic(topic.name);
  if (!state) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${topic.name}' does not exist.`);
  const current = state.partitions.length;
  if (topic.count < current) {
    throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `The topic ${topic.name} currently has ${current} partition(s); ${topic.count} would not be an increase.`);
  }
  if (topic.count === current) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`);
  const added = topic.count - current;
  const replicationFactor = state.partitions[0].replicas.length;
  let assignment: number[][];
  if (topic.assignments) {
    if (topic.assignments.length !== added) {
      throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Attempted to add ${added} additional partition(s), but only ${topic.assignments.length} assignment(s) were specified.`);
    }
    assignment = topic.assignments.map((a) => a.brokerIds);
    validateAssignment(cluster, assignment, replicationFactor);
  } else {
    assignment = cluster.assignReplicas(current, added, replicationFactor, state.partitions[0].replicas[0]);
  }
  if (!validateOnly) cluster.addPartitions(state, assignment);
}

/** Needs ALTER on each topic; a count that is not an increase is INVALID_PARTITIONS, as in Kafka. */
export const createPartitions = defineApi<CreatePartitionsRequest, { throttleTimeMs: number; results: TopicResult[] }>({
  apiKey: 37,
  name: 'CreatePartitions',
  versions: '0-3',
  request,
  response,
  handle: (req, context) => {
    const repeated = repeatedKeys(req.topics, (t) => t.name);
    const results = req.topics.map((t) => ({
      name: t.name,
      ...(notTheController(context)
        ? { errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null }
        : repeated.has(t.name)
        ? { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' }
        : errorResultOf(() => grow(t, context, req.validateOnly))),
    }));
    return { throttleTimeMs: 0, results };
  },
});
