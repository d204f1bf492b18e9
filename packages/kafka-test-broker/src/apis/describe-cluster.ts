import { CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { OPERATIONS_NOT_REQUESTED, authorizedOperations, defineApi } from './api';

interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: Array<{ brokerId: number; host: string; port: number; rack: string | null }>;
  clusterAuthorizedOperations: number;
}

const BROKER_ENDPOINT = 1;

const request = message('0+', [field('includeClusterAuthorizedOperations', 'bool', '0+'), field('endpointType', 'int8', '1+', { default: BROKER_ENDPOINT })]);

const response = message('0+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('errorCode', 'int16', '0+'),
  field('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
  field('endpointType', 'int8', '1+', { default: BROKER_ENDPOINT }),
  field('clusterId', 'string', '0+'),
  field('controllerId', 'int32', '0+', { default: -1 }),
  arrayOf(
    'brokers',
    [field('brokerId', 'int32', '0+'), field('host', 'string', '0+'), field('port', 'int32', '0+'), field('rack', 'string', '0+', { nullable: '0+', default: null })],
    '0+',
  ),
  field('clusterAuthorizedOperations', 'int32', '0+', { default: OPERATIONS_NOT_REQUESTED }),
]);

/** Admin clients of Kafka >= 2.8 (e.g. librdkafka's DescribeCluster) ask for it; only broker endpoints exist here. */
export const describeCluster = defineApi<{ includeClusterAuthorizedOperations: boolean; endpointType: number }, DescribeClusterResponse>({
  apiKey: 60,
  name: 'DescribeCluster',
  versions: '0-1',
  request,
  response,
  handle: (req, context) => {
    const base = {
      throttleTimeMs: 0,
      endpointType: req.endpointType,
      clusterId: context.cluster.clusterId,
      controllerId: context.cluster.controllerId,
      clusterAuthorizedOperations: authorizedOperations(context, req.includeClusterAuthorizedOperations, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME),
    };
    if (req.endpointType !== BROKER_ENDPOINT) {
      return { ...base, errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE, errorMessage: 'The request was sent to an endpoint of the wrong type.', brokers: [] };
    }
    return {
      ...base,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      brokers: context.cluster.nodes.map((n) => ({ brokerId: n.nodeId, host: n.host, port: n.port, rack: null })),
    };
  },
});
