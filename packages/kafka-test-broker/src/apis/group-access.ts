import { AclOperation, ResourceType } from '../cluster/acl';
import { GroupCoordinator, checkGroupRequest } from '../data/group-coordinator';
import { ErrorCode, awaitAnswerOrRefusal } from '../protocol/errors';
import { RequestContext, authorize } from './api';

/**
 * How every group API starts: `operation` on the GROUP (else 30), then the coordinator's own checks
 * (24, 16). `answer` runs with the coordinator; any refusal on the way is answered by `failed(errorCode)`.
 */
export function answerGroupRequest<Res>(
  context: RequestContext,
  groupId: string,
  operation: typeof AclOperation.READ | typeof AclOperation.DESCRIBE,
  failed: (errorCode: number) => Res,
  answer: (coordinator: GroupCoordinator) => Res | Promise<Res>,
): Promise<Res> {
  if (!authorize(context, ResourceType.GROUP, groupId, operation)) return Promise.resolve(failed(ErrorCode.GROUP_AUTHORIZATION_FAILED));
  return awaitAnswerOrRefusal(
    async () => answer(checkGroupRequest(context, groupId)),
    (e) => failed(e.code),
  );
}
