import { AclOperation, ResourceType } from '../cluster/acl';
import { checkGroupRequest } from '../data/group-coordinator';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { field, message } from '../protocol/schema';
import { authorize, defineApi } from './api';

interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}

const request = message('4+', [
  field('groupId', 'string', '0+'),
  field('generationId', 'int32', '0+'),
  field('memberId', 'string', '0+'),
  field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
]);

const response = message('4+', [field('throttleTimeMs', 'int32', '1+'), field('errorCode', 'int16', '0+')]);

/** Keeps a member's session alive (READ on the GROUP, 30); REBALANCE_IN_PROGRESS (27) tells it to rejoin. */
export const heartbeat = defineApi<HeartbeatRequest, HeartbeatResponse>({
  apiKey: 12,
  name: 'Heartbeat',
  versions: '1-3',
  request,
  response,
  handle: (req, context) => {
    if (!authorize(context, ResourceType.GROUP, req.groupId, AclOperation.READ)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
    try {
      const group = checkGroupRequest(context, req.groupId).group(req.groupId);
      return { throttleTimeMs: 0, errorCode: group ? group.heartbeat(req.memberId, req.generationId) : ErrorCode.UNKNOWN_MEMBER_ID };
    } catch (e) {
      if (e instanceof KafkaError) return { throttleTimeMs: 0, errorCode: e.code };
      throw e;
    }
  },
});
