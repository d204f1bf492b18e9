import { AclOperation, ResourceType } from '../cluster/acl';
import { ConsumerGroup } from '../data/consumer-group';
import { checkGroupRequest } from '../data/group-coordinator';
import { ErrorCode, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';

interface CommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

interface OffsetCommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  topics: Array<{ name: string; partitions: CommitPartition[] }>;
}

interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;
}

const request = message('8+', [
  field('groupId', 'string', '0+'),
  field('generationIdOrMemberEpoch', 'int32', '1+', { default: -1 }),
  field('memberId', 'string', '1+'),
  field('groupInstanceId', 'string', '7+', { nullable: '7+', default: null }),
  field('retentionTimeMs', 'int64', '2-4', { default: -1n }),
  arrayOf(
    'topics',
    [
      field('name', 'string', '0+'),
      arrayOf(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('committedOffset', 'int64', '0+'),
          field('committedLeaderEpoch', 'int32', '6+', { default: -1 }),
          field('commitTimestamp', 'int64', '1', { default: -1n }),
          field('committedMetadata', 'string', '0+', { nullable: '0+' }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

const response = message('8+', [
  field('throttleTimeMs', 'int32', '3+'),
  arrayOf('topics', [field('name', 'string', '0+'), arrayOf('partitions', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')], '0+')], '0+'),
]);

/** The per-topic refusal Kafka decides before the group is consulted: 29 without READ, 3 for an unknown partition. */
function topicRefusal(context: RequestContext, topic: string, partition: number): number | null {
  if (!authorize(context, ResourceType.TOPIC, topic, AclOperation.READ)) return ErrorCode.TOPIC_AUTHORIZATION_FAILED;
  if (!context.cluster.topic(topic)?.partitions[partition]) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  return null;
}

/**
 * Stores a group's offsets in memory. READ on the GROUP (30) and on each topic (29); members must
 * commit with the current generation, and a commit without one (-1) is for member-less groups.
 */
export const offsetCommit = defineApi<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: 8,
  name: 'OffsetCommit',
  versions: '2-7',
  request,
  response,
  handle: (req, context) => {
    const answerAll = (code: (topic: string, partition: CommitPartition) => number): OffsetCommitResponse => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code(t.name, p) })) })),
    });
    if (!authorize(context, ResourceType.GROUP, req.groupId, AclOperation.READ)) return answerAll(() => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    // A group refusal still comes after each partition's own refusal, so it is kept, not answered at once.
    let group: ConsumerGroup | null = null;
    const groupError = answerOrRefusal(
      () => {
        const candidate = checkGroupRequest(context, req.groupId).groupOrNew(req.groupId);
        candidate.checkCommit(req.memberId, req.generationIdOrMemberEpoch);
        group = candidate;
        return ErrorCode.NONE;
      },
      (e) => e.code,
    );
    return answerAll((topic, p) => {
      const refusal = topicRefusal(context, topic, p.partitionIndex);
      if (refusal !== null) return refusal;
      if (group === null) return groupError;
      group.offsets.commit(topic, p.partitionIndex, { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata });
      return ErrorCode.NONE;
    });
  },
});
