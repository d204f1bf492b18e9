import { AclOperation, ResourceType } from '../cluster/acl';
import { leaderPartition } from '../data/leader-partition';
import { ErrorCode, KafkaError, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';

/** Kafka's special ListOffsets timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;

interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; timestamp: bigint }> }>;
}

interface PartitionOffset {
  partitionIndex: number;
  errorCode: number;
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: PartitionOffset[] }>;
}

const request = message('6+', [
  field('replicaId', 'int32', '0+'),
  field('isolationLevel', 'int8', '2+'),
  arrayOf(
    'topics',
    [
      field('name', 'string', '0+'),
      arrayOf(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('currentLeaderEpoch', 'int32', '4+', { default: -1 }),
          field('timestamp', 'int64', '0+'),
          field('maxNumOffsets', 'int32', '0', { default: 1 }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
  field('timeoutMs', 'int32', '10+'),
]);

const response = message('6+', [
  field('throttleTimeMs', 'int32', '2+'),
  arrayOf(
    'topics',
    [
      field('name', 'string', '0+'),
      arrayOf(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          arrayOf('oldStyleOffsets', 'int64', '0'),
          field('timestamp', 'int64', '1+', { default: -1n }),
          field('offset', 'int64', '1+', { default: -1n }),
          field('leaderEpoch', 'int32', '4+', { default: -1 }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

function lookUp(context: RequestContext, topicName: string, partitionIndex: number, timestamp: bigint): PartitionOffset {
  const { log } = leaderPartition(context, topicName, partitionIndex);
  const answer = (offset: bigint, at: bigint): PartitionOffset => ({ partitionIndex, errorCode: ErrorCode.NONE, timestamp: at, offset, leaderEpoch: 0 });
  if (timestamp === LATEST_TIMESTAMP) return answer(log.highWatermark, -1n);
  if (timestamp === EARLIEST_TIMESTAMP) return answer(log.logStartOffset, -1n);
  if (timestamp < 0n) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported ListOffsets timestamp ${timestamp}.`);
  const offset = log.offsetForTimestamp(timestamp);
  // Past the last record Kafka answers "no offset": -1 for both.
  return offset === null ? answer(-1n, -1n) : answer(offset, timestamp);
}

/**
 * Earliest (-2) and latest (-1) offsets, or the first offset at or after a timestamp. DESCRIBE on
 * the topic is required (29); unknown topic or partition is 3, a non-leader node answers 6.
 */
export const listOffsets = defineApi<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  name: 'ListOffsets',
  versions: '1-3',
  request,
  response,
  handle: (req, context) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => {
      const describable = authorize(context, ResourceType.TOPIC, t.name, AclOperation.DESCRIBE);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          const refused = (errorCode: number): PartitionOffset => ({ partitionIndex: p.partitionIndex, errorCode, timestamp: -1n, offset: -1n, leaderEpoch: -1 });
          if (!describable) return refused(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
          return answerOrRefusal(
            () => lookUp(context, t.name, p.partitionIndex, p.timestamp),
            (e) => refused(e.code),
          );
        }),
      };
    }),
  }),
});
