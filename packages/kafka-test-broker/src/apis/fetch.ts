import { AclOperation, ResourceType } from '../cluster/acl';
import { leaderPartition } from '../data/leader-partition';
import { PartitionLog } from '../data/partition-log';
import { ErrorCode, KafkaError, answerOrRefusal } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { RequestContext, authorize, defineApi } from './api';

interface FetchPartitionRequest {
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
}

interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: Array<{ topic: string; partitions: FetchPartitionRequest[] }>;
}

interface PartitionData {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: null;
  preferredReadReplica: number;
  records: Buffer | null;
}

interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: Array<{ topic: string; partitions: PartitionData[] }>;
}

const request = message('12+', [
  field('replicaId', 'int32', '0-14', { default: -1 }),
  field('maxWaitMs', 'int32', '0+'),
  field('minBytes', 'int32', '0+'),
  field('maxBytes', 'int32', '3+', { default: 0x7fffffff }),
  field('isolationLevel', 'int8', '4+'),
  field('sessionId', 'int32', '7+'),
  field('sessionEpoch', 'int32', '7+', { default: -1 }),
  arrayOf(
    'topics',
    [
      field('topic', 'string', '0-12'),
      arrayOf(
        'partitions',
        [
          field('partition', 'int32', '0+'),
          field('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
          field('fetchOffset', 'int64', '0+'),
          field('lastFetchedEpoch', 'int32', '12+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1n }),
          field('partitionMaxBytes', 'int32', '0+'),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
  arrayOf('forgottenTopicsData', [field('topic', 'string', '7-12'), arrayOf('partitions', 'int32', '7+')], '7+'),
  field('rackId', 'string', '11+'),
]);

const response = message('12+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '7+'),
  field('sessionId', 'int32', '7+'),
  arrayOf(
    'responses',
    [
      field('topic', 'string', '0-12'),
      arrayOf(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('highWatermark', 'int64', '0+'),
          field('lastStableOffset', 'int64', '4+', { default: -1n }),
          field('logStartOffset', 'int64', '5+', { default: -1n }),
          arrayOf('abortedTransactions', [field('producerId', 'int64', '4+'), field('firstOffset', 'int64', '4+')], '4+', { nullable: '4+' }),
          field('preferredReadReplica', 'int32', '11+', { default: -1 }),
          field('records', 'records', '0+', { nullable: '0+' }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

/** What one fetch pass found: the response, and whether it is final (data, an error, or nothing to wait for). */
interface FetchPass {
  response: FetchResponse;
  bytes: number;
  hasError: boolean;
  logs: PartitionLog[];
}

/** Records are an empty set, not null: librdkafka rejects a negative records length and drops the whole answer. */
function partitionError(partitionIndex: number, errorCode: number): PartitionData {
  return { partitionIndex, errorCode, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: null, preferredReadReplica: -1, records: Buffer.alloc(0) };
}

/** Reads every requested partition once, sharing `maxBytes` across them in request order. */
function fetchOnce(req: FetchRequest, context: RequestContext): FetchPass {
  const pass: FetchPass = { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: [] }, bytes: 0, hasError: false, logs: [] };
  for (const t of req.topics) {
    const readable = authorize(context, ResourceType.TOPIC, t.topic, AclOperation.READ);
    const partitions = t.partitions.map((p): PartitionData => {
      if (!readable) return partitionError(p.partition, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      return answerOrRefusal(() => {
        const { log } = leaderPartition(context, t.topic, p.partition);
        pass.logs.push(log);
        if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.highWatermark) {
          throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `Offset ${p.fetchOffset} is outside [${log.logStartOffset}, ${log.highWatermark}].`);
        }
        const budget = Math.max(0, Math.min(p.partitionMaxBytes, req.maxBytes - pass.bytes));
        // Once something was returned, an exhausted budget means no data rather than one oversized batch.
        const slice = budget === 0 && pass.bytes > 0 ? { batches: [], bytes: 0 } : log.read(p.fetchOffset, budget);
        pass.bytes += slice.bytes;
        const highWatermark = log.highWatermark;
        return {
          partitionIndex: p.partition,
          errorCode: ErrorCode.NONE,
          highWatermark,
          lastStableOffset: highWatermark,
          logStartOffset: log.logStartOffset,
          abortedTransactions: null,
          preferredReadReplica: -1,
          records: Buffer.concat(slice.batches, slice.bytes),
        };
      }, (e) => partitionError(p.partition, e.code));
    });
    if (partitions.some((p) => p.errorCode !== ErrorCode.NONE)) pass.hasError = true;
    pass.response.responses.push({ topic: t.topic, partitions });
  }
  return pass;
}

/** Resolves after the first append to any of `logs`, or after `waitMs`, whichever comes first. */
function appendOrTimeout(logs: PartitionLog[], waitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribers: Array<() => void> = [];
    const done = (): void => {
      clearTimeout(timer);
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    // A parked fetch must not keep a stopping process alive.
    timer.unref();
    for (const log of logs) unsubscribers.push(log.onAppend(done));
  });
}

/**
 * Returns stored batches from the requested offsets (whole batches: clients skip records before
 * the offset they asked for). With less than `minBytes` and no partition error, the request is
 * parked until data arrives or `maxWaitMs` passes (a long poll that leaves the event loop free).
 * READ on the topic is required (29). There are no fetch sessions: the answer's session id is 0,
 * which tells clients to keep sending full fetch requests.
 */
export const fetch = defineApi<FetchRequest, FetchResponse>({
  apiKey: 1,
  name: 'Fetch',
  versions: '4-11',
  request,
  response,
  handle: async (req, context) => {
    const first = fetchOnce(req, context);
    if (first.hasError || first.bytes >= Math.max(1, req.minBytes) || req.maxWaitMs <= 0 || first.logs.length === 0) return first.response;
    await appendOrTimeout(first.logs, req.maxWaitMs);
    return fetchOnce(req, context).response;
  },
});
