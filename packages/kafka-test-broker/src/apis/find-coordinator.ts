import { AclOperation, ResourceType } from '../cluster/acl';
import { coordinatorOf } from '../data/group-coordinator';
import { ErrorCode, KafkaError, answerOrRefusal } from '../protocol/errors';
import { field, message } from '../protocol/schema';
import { defineApi, requireAccess } from './api';

/** FindCoordinator key types. */
const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

interface FindCoordinatorRequest {
  key: string;
  keyType: number;
}

interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

const request = message('3+', [field('key', 'string', '0-3'), field('keyType', 'int8', '1+')]);

const response = message('3+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0-3'),
  field('errorMessage', 'string', '1-3', { nullable: '1-3', default: null }),
  field('nodeId', 'int32', '0-3'),
  field('host', 'string', '0-3'),
  field('port', 'int32', '0-3'),
]);

/**
 * Names the node coordinating a group: always the first node. DESCRIBE on the GROUP is required
 * (30); transactions are not served, so a transaction key is COORDINATOR_NOT_AVAILABLE after the
 * DESCRIBE check on the TRANSACTIONAL_ID (53).
 */
export const findCoordinator = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: 10,
  name: 'FindCoordinator',
  versions: '0-2',
  request,
  response,
  handle: (req, context) =>
    answerOrRefusal<FindCoordinatorResponse>(
      () => {
        if (req.keyType === TRANSACTION_KEY) {
          requireAccess(context, ResourceType.TRANSACTIONAL_ID, req.key, AclOperation.DESCRIBE);
          throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'Transactions are not supported by the test broker.');
        }
        if (req.keyType !== GROUP_KEY) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown coordinator key type ${req.keyType}.`);
        requireAccess(context, ResourceType.GROUP, req.key, AclOperation.DESCRIBE);
        const node = coordinatorOf(context.cluster).node;
        return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: node.nodeId, host: node.host, port: node.port };
      },
      (e) => ({ throttleTimeMs: 0, errorCode: e.code, errorMessage: e.message, nodeId: -1, host: '', port: -1 }),
    ),
});
