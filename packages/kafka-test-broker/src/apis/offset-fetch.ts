import { AclOperation, ResourceType } from '../cluster/acl';
import { ConsumerGroup } from '../data/consumer-group';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';
import { answerGroupRequest } from './group-access';

interface OffsetFetchRequest {
  groupId: string;
  topics: Array<{ name: string; partitionIndexes: number[] }> | null;
  requireStable: boolean;
}

interface PartitionOffset {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: PartitionOffset[] }>;
  errorCode: number;
}

const request = message('6+', [
  field('groupId', 'string', '0-7'),
  arrayOf('topics', [field('name', 'string', '0-7'), arrayOf('partitionIndexes', 'int32', '0-7')], '0-7', { nullable: '2-7' }),
  field('requireStable', 'bool', '7+'),
]);

const response = message('6+', [
  field('throttleTimeMs', 'int32', '3+'),
  arrayOf(
    'topics',
    [
      field('name', 'string', '0-7'),
      arrayOf(
        'partitions',
        [
          field('partitionIndex', 'int32', '0-7'),
          field('committedOffset', 'int64', '0-7'),
          field('committedLeaderEpoch', 'int32', '5-7', { default: -1 }),
          field('metadata', 'string', '0-7', { nullable: '0-7' }),
          field('errorCode', 'int16', '0-7'),
        ],
        '0-7',
      ),
    ],
    '0-7',
  ),
  field('errorCode', 'int16', '2-7'),
]);

/** Kafka's "no offset committed" answer; the metadata is the empty string, not null. */
function noOffset(partitionIndex: number, errorCode: number): PartitionOffset {
  return { partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode };
}

function offsetsOf(group: ConsumerGroup | undefined, topic: string, partitions: number[]): PartitionOffset[] {
  return partitions.map((partitionIndex) => {
    const committed = group?.offsets.get(topic, partitionIndex);
    if (!committed) return noOffset(partitionIndex, ErrorCode.NONE);
    return { partitionIndex, committedOffset: committed.offset, committedLeaderEpoch: committed.leaderEpoch, metadata: committed.metadata, errorCode: ErrorCode.NONE };
  });
}

function describable(context: RequestContext, topic: string): boolean {
  return authorize(context, ResourceType.TOPIC, topic, AclOperation.DESCRIBE);
}

/**
 * A group's committed offsets (-1 where none). DESCRIBE on the GROUP (30) and on each topic (29):
 * named topics the caller may not describe are refused per partition, and the "all topics" form
 * (null, v2+) leaves them out. From v2 group-level errors are top-level; before, per partition.
 */
export const offsetFetch = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  versions: '1-7',
  request,
  response,
  handle: (req, context) => {
    const failed = (errorCode: number): OffsetFetchResponse => ({
      throttleTimeMs: 0,
      errorCode,
      topics: context.apiVersion >= 2 ? [] : (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => noOffset(p, errorCode)) })),
    });
    return answerGroupRequest(context, req.groupId, AclOperation.DESCRIBE, failed, (coordinator) => {
      const group = coordinator.group(req.groupId);
      const requested = req.topics ?? (group?.offsets.all().filter((t) => describable(context, t.topic)) ?? []).map((t) => ({ name: t.topic, partitionIndexes: t.partitions }));
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        topics: requested.map((t) => ({
          name: t.name,
          partitions: describable(context, t.name) ? offsetsOf(group, t.name, t.partitionIndexes) : t.partitionIndexes.map((p) => noOffset(p, ErrorCode.TOPIC_AUTHORIZATION_FAILED)),
        })),
      };
    });
  },
});
