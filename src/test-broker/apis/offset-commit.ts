import { AclOperation, ResourceType } from '../cluster/acl';
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
    const answerAll = (code: (topic: string, partition: number) => number): OffsetCommitResponse => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code(t.name, p.partitionIndex) })) })),
    });
    if (!authorize(context, ResourceType.GROUP, req.groupId, AclOperation.READ)) return answerAll(() => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    // A group refusal still comes after each partition's own refusal, so it is kept, not answered at once.
    const { store, groupError } = answerOrRefusal<{ store: ((topic: string, p: CommitPartition) => void) | null; groupError: number }>(
      () => {
        const group = checkGroupRequest(context, req.groupId).groupOrNew(req.groupId);
        group.checkCommit(req.memberId, req.generationIdOrMemberEpoch);
        return {
          store: (topic, p) => group.offsets.commit(topic, p.partitionIndex, { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata }),
          groupError: ErrorCode.NONE,
        };
      },
      (e) => ({ store: null, groupError: e.code }),
    );
    return answerAll((topic, partition) => {
      const refusal = topicRefusal(context, topic, partition);
      if (refusal !== null) return refusal;
      if (store === null) return groupError;
      const entry = req.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition);
      if (entry) store(topic, entry);
      return ErrorCode.NONE;
    });
  },
});
