import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../cluster/acl';
import { coordinatorOf } from '../data/group-coordinator';
import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { authorize, defineApi } from './api';

interface ListGroupsRequest {
  statesFilter: string[];
  typesFilter: string[];
}

interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
  groupType: string;
}

interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroup[];
}

const request = message('3+', [arrayOf('statesFilter', 'string', '4+'), arrayOf('typesFilter', 'string', '5+')]);

const response = message('3+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0+'),
  arrayOf(
    'groups',
    [field('groupId', 'string', '0+'), field('protocolType', 'string', '0+'), field('groupState', 'string', '4+'), field('groupType', 'string', '5+')],
    '0+',
  ),
]);

/**
 * The groups this node coordinates (node 0 coordinates all of them; the others list none): every
 * group for a caller with DESCRIBE on the CLUSTER, else the groups it may DESCRIBE. Filters by
 * state (v4+) and type (v5+) are case-insensitive; every group here is a `classic` one. A group
 * that only has committed offsets has protocol type "" and state Empty, as in Kafka.
 */
export const listGroups = defineApi<ListGroupsRequest, ListGroupsResponse>({
  apiKey: 16,
  name: 'ListGroups',
  versions: '0-5',
  request,
  response,
  handle: (req, context) => {
    const coordinator = coordinatorOf(context.cluster);
    const everything = authorize(context, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME, AclOperation.DESCRIBE);
    const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(req.typesFilter.map((s) => s.toLowerCase()));
    const groups = context.node.nodeId !== coordinator.node.nodeId ? [] : coordinator.allGroups();
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      groups: groups
        .filter((g) => everything || authorize(context, ResourceType.GROUP, g.groupId, AclOperation.DESCRIBE))
        .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
        .filter(() => types.size === 0 || types.has('classic'))
        .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state, groupType: 'classic' })),
    };
  },
});
