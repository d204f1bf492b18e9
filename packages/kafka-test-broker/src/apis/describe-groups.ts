import { AclOperation, ResourceType } from '../cluster/acl';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { OPERATIONS_NOT_REQUESTED, RequestContext, authorizedOperations, defineApi } from './api';
import { answerGroupRequest } from './group-access';

interface DescribeGroupsRequest {
  groups: string[];
  includeAuthorizedOperations: boolean;
}

interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }>;
  authorizedOperations: number;
}

interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: DescribedGroup[];
}

const request = message('5+', [arrayOf('groups', 'string', '0+'), field('includeAuthorizedOperations', 'bool', '3+')]);

const response = message('5+', [
  field('throttleTimeMs', 'int32', '1+'),
  arrayOf(
    'groups',
    [
      field('errorCode', 'int16', '0+'),
      field('groupId', 'string', '0+'),
      field('groupState', 'string', '0+'),
      field('protocolType', 'string', '0+'),
      field('protocolData', 'string', '0+'),
      arrayOf(
        'members',
        [
          field('memberId', 'string', '0+'),
          field('groupInstanceId', 'string', '4+', { nullable: '4+', default: null }),
          field('clientId', 'string', '0+'),
          field('clientHost', 'string', '0+'),
          field('memberMetadata', 'bytes', '0+'),
          field('memberAssignment', 'bytes', '0+'),
        ],
        '0+',
      ),
      field('authorizedOperations', 'int32', '3+', { default: OPERATIONS_NOT_REQUESTED }),
    ],
    '0+',
  ),
]);

function describe(context: RequestContext, groupId: string, includeAuthorizedOperations: boolean): Promise<DescribedGroup> {
  const blank = (errorCode: number, groupState = ''): DescribedGroup => ({
    errorCode,
    groupId,
    groupState,
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations: OPERATIONS_NOT_REQUESTED,
  });
  return answerGroupRequest(context, groupId, AclOperation.DESCRIBE, (code) => blank(code), (coordinator) => {
    const group = coordinator.group(groupId);
    // Kafka describes a group it does not know as Dead, without an error.
    if (!group) return blank(ErrorCode.NONE, 'Dead');
    const summary = group.summary();
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: summary.state,
      protocolType: summary.protocolType,
      protocolData: summary.protocolName,
      members: summary.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.metadata,
        memberAssignment: m.assignment,
      })),
      authorizedOperations: authorizedOperations(context, includeAuthorizedOperations, ResourceType.GROUP, groupId),
    };
  });
}

/**
 * Each named group's state, protocol and members (metadata and assignment only while Stable, as
 * Kafka's group summary). DESCRIBE on the GROUP, else GROUP_AUTHORIZATION_FAILED (30) for that
 * group; a group this node does not coordinate gets NOT_COORDINATOR (16); an unknown one is Dead.
 * kafkajs's admin.describeGroups and admin.setOffsets use it.
 */
export const describeGroups = defineApi<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: 15,
  name: 'DescribeGroups',
  versions: '0-5',
  request,
  response,
  handle: async (req, context) => ({
    throttleTimeMs: 0,
    groups: await Promise.all(req.groups.map((g) => describe(context, g, req.includeAuthorizedOperations))),
  }),
});
