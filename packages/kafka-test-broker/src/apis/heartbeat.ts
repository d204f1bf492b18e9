import { AclOperation } from '../cluster/acl';
import { ErrorCode } from '../protocol/errors';
import { field, message } from '../protocol/schema';
import { defineApi } from './api';
import { answerGroupRequest } from './group-access';

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
  handle: (req, context) =>
    answerGroupRequest<HeartbeatResponse>(
      context,
      req.groupId,
      AclOperation.READ,
      (errorCode) => ({ throttleTimeMs: 0, errorCode }),
      (coordinator) => {
        const group = coordinator.group(req.groupId);
        return { throttleTimeMs: 0, errorCode: group ? group.heartbeat(req.memberId, req.generationId) : ErrorCode.UNKNOWN_MEMBER_ID };
      },
    ),
});
