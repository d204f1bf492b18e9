import { AclOperation } from '../cluster/acl';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { answerGroupRequest } from './group-access';

interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}

const request = message('4+', [
  field('groupId', 'string', '0+'),
  field('generationId', 'int32', '0+'),
  field('memberId', 'string', '0+'),
  field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
  arrayOf('assignments', [field('memberId', 'string', '0+'), field('assignment', 'bytes', '0+')], '0+'),
]);

const response = message('4+', [field('throttleTimeMs', 'int32', '1+'), field('errorCode', 'int16', '0+'), field('assignment', 'bytes', '0+')]);

/**
 * Hands each member its assignment once the leader has sent them all (READ on the GROUP, 30);
 * followers' requests wait for the leader's. A group mid-rebalance answers REBALANCE_IN_PROGRESS (27).
 */
export const syncGroup = defineApi<SyncGroupRequest, SyncGroupResponse>({
  apiKey: 14,
  name: 'SyncGroup',
  versions: '1-3',
  request,
  response,
  handle: (req, context) => {
    const failed = (errorCode: number): SyncGroupResponse => ({ throttleTimeMs: 0, errorCode, assignment: Buffer.alloc(0) });
    return answerGroupRequest(context, req.groupId, AclOperation.READ, failed, async (coordinator) => {
      const group = coordinator.group(req.groupId);
      if (!group) return failed(ErrorCode.UNKNOWN_MEMBER_ID);
      const result = await group.sync(req.memberId, req.generationId, req.assignments);
      return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
    });
  },
});
