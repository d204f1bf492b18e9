import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { logsOf } from '../data/partition-logs';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { authorize, defineApi } from './api';

interface DescribeLogDirsRequest {
  topics: Array<{ topic: string; partitions: number[] }> | null;
}

interface PartitionDir {
  partitionIndex: number;
  partitionSize: bigint;
  offsetLag: bigint;
  isFutureKey: boolean;
}

interface LogDirResult {
  errorCode: number;
  logDir: string;
  topics: Array<{ name: string; partitions: PartitionDir[] }>;
  totalBytes: bigint;
  usableBytes: bigint;
}

interface DescribeLogDirsResponse {
  throttleTimeMs: number;
  errorCode: number;
  results: LogDirResult[];
}

const request = message('2+', [
  arrayOf('topics', [field('topic', 'string', '0+'), arrayOf('partitions', 'int32', '0+')], '0+', { nullable: '0+' }),
]);

const response = message('2+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('errorCode', 'int16', '3+'),
  arrayOf(
    'results',
    [
      field('errorCode', 'int16', '0+'),
      field('logDir', 'string', '0+'),
      arrayOf(
        'topics',
        [
          field('name', 'string', '0+'),
          arrayOf(
            'partitions',
            [field('partitionIndex', 'int32', '0+'), field('partitionSize', 'int64', '0+'), field('offsetLag', 'int64', '0+'), field('isFutureKey', 'bool', '0+')],
            '0+',
          ),
        ],
        '0+',
      ),
      field('totalBytes', 'int64', '4+', { default: -1n }),
      field('usableBytes', 'int64', '4+', { default: -1n }),
    ],
    '0+',
  ),
]);

/** Where each node says its one log directory is; nothing is on disk. */
export function logDirOf(nodeId: number): string {
  return `/kafka-test-broker/node-${nodeId}/logs`;
}

/**
 * The node's one log directory with every partition replica it holds (all topics, or the named
 * partitions; unknown ones are left out, as Kafka does), each the size of the partition's log:
 * every replica is in sync here. DESCRIBE on the CLUSTER, else no directories, with
 * CLUSTER_AUTHORIZATION_FAILED from v3 (before, the empty answer is all Kafka gives). The volume's
 * total and usable bytes (v4) are -1, Kafka's "unknown": nothing here lives on a volume.
 */
export const describeLogDirs = defineApi<DescribeLogDirsRequest, DescribeLogDirsResponse>({
  apiKey: 35,
  name: 'DescribeLogDirs',
  versions: '1-4',
  request,
  response,
  handle: (req, context) => {
    if (!authorize(context, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME, AclOperation.DESCRIBE)) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] };
    }
    const wanted = req.topics && new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)]));
    const logs = logsOf(context.cluster);
    const topics = context.cluster
      .allTopics()
      .map((topic) => ({
        name: topic.name,
        partitions: topic.partitions
          .filter((p) => p.replicas.includes(context.node.nodeId) && (!wanted || wanted.get(topic.name)?.has(p.index)))
          .map((p) => ({ partitionIndex: p.index, partitionSize: BigInt(logs.log(topic, p.index).sizeInBytes), offsetLag: 0n, isFutureKey: false })),
      }))
      .filter((t) => t.partitions.length > 0);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      results: [{ errorCode: ErrorCode.NONE, logDir: logDirOf(context.node.nodeId), topics, totalBytes: -1n, usableBytes: -1n }],
    };
  },
});
