import { AclOperation } from '../cluster/acl';
import { JoinResult } from '../data/consumer-group';
import { arrayOf, field, message } from '../protocol/schema';
import { defineApi } from './api';
import { answerGroupRequest } from './group-access';

interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
}

type JoinGroupResponse = { throttleTimeMs: number } & JoinResult;

const request = message('6+', [
  field('groupId', 'string', '0+'),
  field('sessionTimeoutMs', 'int32', '0+'),
  field('rebalanceTimeoutMs', 'int32', '1+', { default: -1 }),
  field('memberId', 'string', '0+'),
  field('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }),
  field('protocolType', 'string', '0+'),
  arrayOf('protocols', [field('name', 'string', '0+'), field('metadata', 'bytes', '0+')], '0+'),
]);

const response = message('6+', [
  field('throttleTimeMs', 'int32', '2+'),
  field('errorCode', 'int16', '0+'),
  field('generationId', 'int32', '0+', { default: -1 }),
  field('protocolName', 'string', '0+', { nullable: '7+' }),
  field('leader', 'string', '0+'),
  field('memberId', 'string', '0+'),
  arrayOf(
    'members',
    [field('memberId', 'string', '0+'), field('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }), field('metadata', 'bytes', '0+')],
    '0+',
  ),
]);

/**
 * Joins a member to a group (READ on the GROUP, 30). The answer waits until the rebalance
 * completes; from v4 a member without an id first gets one with MEMBER_ID_REQUIRED (79).
 * Static membership (group.instance.id) is carried but not given Kafka's special treatment.
 */
export const joinGroup = defineApi<JoinGroupRequest, JoinGroupResponse>({
  apiKey: 11,
  name: 'JoinGroup',
  versions: '2-5',
  request,
  response,
  handle: (req, context) => {
    const failed = (errorCode: number): JoinGroupResponse => ({
      throttleTimeMs: 0,
      errorCode,
      generationId: -1,
      protocolType: null,
      protocolName: '',
      leader: '',
      memberId: req.memberId,
      members: [],
    });
    return answerGroupRequest(context, req.groupId, AclOperation.READ, failed, async (coordinator) => {
      const group = coordinator.groupOrNew(req.groupId);
      const result = await group.join({
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        clientId: context.header.clientId ?? '',
        // As Kafka shows it: java.net.InetAddress#toString of the client's address.
        clientHost: `/${context.session.clientHost}`,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols,
        requireKnownMemberId: context.apiVersion >= 4,
      });
      // Before v7 the protocol name is not nullable: a failed join carries an empty one.
      return { throttleTimeMs: 0, ...result, protocolName: result.protocolName ?? '' };
    });
  },
});
