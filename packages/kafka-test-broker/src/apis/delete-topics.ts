import { notTheController } from './controller-only';
import { AclOperation, ResourceType } from '../cluster/acl';
import { ZERO_UUID } from '../protocol/codec';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';

interface DeleteTopicsRequest {
  topics: Array<{ name: string | null; topicId: string }>;
  topicNames: string[];
  timeoutMs: number;
}

interface DeletableTopicResult {
  name: string | null;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
}

const request = message('4+', [
  arrayOf('topics', [field('name', 'string', '6+', { nullable: '6+', default: null }), field('topicId', 'uuid', '6+')], '6+'),
  arrayOf('topicNames', 'string', '0-5'),
  field('timeoutMs', 'int32', '0+'),
]);

const response = message('4+', [
  field('throttleTimeMs', 'int32', '1+'),
  arrayOf(
    'responses',
    [
      field('name', 'string', '0+', { nullable: '6+' }),
      field('topicId', 'uuid', '6+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '5+', { nullable: '5+', default: null }),
    ],
    '0+',
  ),
]);

function deleteOne(entry: { name: string | null; topicId: string }, context: RequestContext): DeletableTopicResult {
  const topic = entry.name !== null ? context.cluster.topic(entry.name) : context.cluster.topicById(entry.topicId);
  const name = entry.name ?? topic?.name ?? null;
  const result = (errorCode: number, errorMessage: string | null): DeletableTopicResult => ({
    name,
    topicId: topic?.topicId ?? entry.topicId,
    errorCode,
    errorMessage,
  });
  if (name === null) return result(ErrorCode.UNKNOWN_TOPIC_ID, 'This server does not host this topic ID.');
  // Checked before existence so that a caller without DELETE cannot probe which topics exist.
  if (!authorize(context, ResourceType.TOPIC, name, AclOperation.DELETE)) return result(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
  if (!topic) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
  context.cluster.deleteTopic(topic.name);
  return result(ErrorCode.NONE, null);
}

/** Needs DELETE on each topic. v6 may name topics by id. */
export const deleteTopics = defineApi<DeleteTopicsRequest, { throttleTimeMs: number; responses: DeletableTopicResult[] }>({
  apiKey: 20,
  name: 'DeleteTopics',
  versions: '0-6',
  request,
  response,
  handle: (req, context) => {
    const entries = context.apiVersion >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    if (notTheController(context)) {
      return { throttleTimeMs: 0, responses: entries.map((e) => ({ name: e.name, topicId: e.topicId, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null })) };
    }
    return { throttleTimeMs: 0, responses: entries.map((e) => deleteOne(e, context)) };
  },
});
