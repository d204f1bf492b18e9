import { AclOperation, ResourceType } from '../cluster/acl';
import { leaderPartition, topicConfig } from '../data/leader-partition';
import { hasRecordWithoutKey, splitBatches } from '../data/record-batch';
import { ErrorCode, KafkaError, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { NO_RESPONSE, RequestContext, authorize, defineApi, requireAccess } from './api';

interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: Array<{ name: string; partitionData: Array<{ index: number; records: Buffer | null }> }>;
}

interface PartitionProduceResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  errorMessage: string | null;
}

interface ProduceResponse {
  responses: Array<{ name: string; partitionResponses: PartitionProduceResponse[] }>;
  throttleTimeMs: number;
}

const request = message('9+', [
  field('transactionalId', 'string', '3+', { nullable: '3+', default: null }),
  field('acks', 'int16', '0+'),
  field('timeoutMs', 'int32', '0+'),
  arrayOf('topicData', [field('name', 'string', '0+'), arrayOf('partitionData', [field('index', 'int32', '0+'), field('records', 'records', '0+', { nullable: '0+' })], '0+')], '0+'),
]);

const response = message('9+', [
  arrayOf(
    'responses',
    [
      field('name', 'string', '0+'),
      arrayOf(
        'partitionResponses',
        [
          field('index', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('baseOffset', 'int64', '0+'),
          field('logAppendTimeMs', 'int64', '2+', { default: -1n }),
          field('logStartOffset', 'int64', '5+', { default: -1n }),
          arrayOf('recordErrors', [field('batchIndex', 'int32', '8+'), field('batchIndexErrorMessage', 'string', '8+', { nullable: '8+', default: null })], '8+'),
          field('errorMessage', 'string', '8+', { nullable: '8+', default: null }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
  field('throttleTimeMs', 'int32', '1+'),
]);

const VALID_ACKS = [-1, 0, 1];

function failed(index: number, errorCode: number, errorMessage: string): PartitionProduceResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, errorMessage };
}

function append(context: RequestContext, topicName: string, index: number, records: Buffer | null): PartitionProduceResponse {
  return answerOrRefusal(() => {
    requireAccess(context, ResourceType.TOPIC, topicName, AclOperation.WRITE);
    const { topic, log } = leaderPartition(context, topicName, index);
    const batches = splitBatches(records ?? Buffer.alloc(0));
    const limit = Number(topicConfig(topic, 'max.message.bytes'));
    const tooLarge = batches.find((b) => b.length > limit);
    if (tooLarge) throw new KafkaError(ErrorCode.MESSAGE_TOO_LARGE, `The batch of ${tooLarge.length} bytes exceeds max.message.bytes ${limit}.`);
    if (topicConfig(topic, 'cleanup.policy').split(',').includes('compact') && batches.some(hasRecordWithoutKey)) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, `Compacted topic cannot accept message without key in topic partition ${topicName}-${index}.`);
    }
    const baseOffset = log.append(batches, 0);
    return { index, errorCode: ErrorCode.NONE, baseOffset, logAppendTimeMs: -1n, logStartOffset: log.logStartOffset, errorMessage: null };
  }, (e) => failed(index, e.code, e.message));
}

/**
 * Appends each partition's batches to its log as received, with offsets assigned in the batch
 * header. Kafka's checks in its order: WRITE on the transactional id (53), WRITE on each topic
 * (29), topic and partition known and led here (3, 6), batches valid and within max.message.bytes.
 * With acks=0 nothing is answered, as Kafka does (it would close the connection on an error; this does not).
 */
export const produce = defineApi<ProduceRequest, ProduceResponse | typeof NO_RESPONSE>({
  apiKey: 0,
  name: 'Produce',
  versions: '3-7',
  request,
  response,
  handle: (req, context) => {
    const refuseAll = (errorCode: number, errorMessage: string): ProduceResponse => ({
      responses: req.topicData.map((t) => ({ name: t.name, partitionResponses: t.partitionData.map((p) => failed(p.index, errorCode, errorMessage)) })),
      throttleTimeMs: 0,
    });
    if (!VALID_ACKS.includes(req.acks)) return refuseAll(ErrorCode.INVALID_REQUIRED_ACKS, `Invalid required acks ${req.acks}.`);
    if (req.transactionalId !== null && !authorize(context, ResourceType.TRANSACTIONAL_ID, req.transactionalId, AclOperation.WRITE)) {
      const refused = refuseAll(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactional Id authorization failed.');
      return req.acks === 0 ? NO_RESPONSE : refused;
    }
    const result: ProduceResponse = {
      responses: req.topicData.map((t) => ({ name: t.name, partitionResponses: t.partitionData.map((p) => append(context, t.name, p.index, p.records)) })),
      throttleTimeMs: 0,
    };
    return req.acks === 0 ? NO_RESPONSE : result;
  },
});
