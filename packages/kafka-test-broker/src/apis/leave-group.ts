import { AclOperation } from '../cluster/acl';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { answerGroupRequest } from './group-access';

interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}

interface MemberResponse {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: MemberResponse[];
}

const request = message('4+', [
  field('groupId', 'string', '0+'),
  field('memberId', 'string', '0-2'),
  arrayOf('members', [field('memberId', 'string', '3+'), field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null })], '3+'),
]);

const response = message('4+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0+'),
  arrayOf('members', [field('memberId', 'string', '3+'), field('groupInstanceId', 'string', '3+', { nullable: '3+' }), field('errorCode', 'int16', '3+')], '3+'),
]);

/**
 * Removes members from a group (READ on the GROUP, 30); the rest rebalance. Up to v2 one member
 * leaves and its error is the top-level one; from v3 each listed member gets its own.
 */
export const leaveGroup = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: 13,
  name: 'LeaveGroup',
  versions: '1-3',
  request,
  response,
  handle: (req, context) => {
    const failed = (errorCode: number): LeaveGroupResponse => ({ throttleTimeMs: 0, errorCode, members: [] });
    return answerGroupRequest(context, req.groupId, AclOperation.READ, failed, (coordinator) => {
      const group = coordinator.group(req.groupId);
      const leave = (memberId: string): number => (group ? group.leave(memberId) : ErrorCode.UNKNOWN_MEMBER_ID);
      if (context.apiVersion < 3) return failed(leave(req.memberId));
      const members = req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: leave(m.memberId) }));
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, members };
    });
  },
});
