import { ResourceType } from '../cluster/acl';
import { ErrorCode, ErrorCodeValue, KafkaError } from '../protocol/errors';
import { ClusterState, BrokerNode } from '../cluster/cluster-state';
import { MessageSchema, VersionRange, versionRange } from '../protocol/schema';
import { RequestHeader } from '../protocol/header';
import { Authorizer } from '../security/authorizer';

/** Where a connection stands in the SASL exchange (SASL listeners only). */
export type SaslPhase =
  /** Nothing but ApiVersions and SaslHandshake is accepted yet. */
  | 'awaiting-handshake'
  /** After SaslHandshake v0: the next frame is a raw PLAIN token without a Kafka header. */
  | 'awaiting-raw-token'
  /** After SaslHandshake v1: the next request must be SaslAuthenticate. */
  | 'awaiting-authenticate'
  | 'authenticated'
  /** A PLAINTEXT listener: SASL requests are answered with ILLEGAL_SASL_STATE. */
  | 'not-sasl';

export interface Session {
  /** `User:ANONYMOUS` until SASL authentication succeeds. */
  principal: string;
  clientHost: string;
  saslPhase: SaslPhase;
  /** Set by a failed SaslAuthenticate: the connection is closed once the answer is written. */
  closeAfterResponse: boolean;
}

export interface BrokerSettings {
  saslUsers: Readonly<Record<string, string>> | null;
  /** Topic writes only on the controller, NOT_CONTROLLER elsewhere (see controller-only.ts). */
  zookeeperMode?: boolean;
}

export interface RequestContext {
  cluster: ClusterState;
  authorizer: Authorizer;
  settings: BrokerSettings;
  /** The broker node the client is talking to. */
  node: BrokerNode;
  session: Session;
  header: RequestHeader;
  apiVersion: number;
  /** Every served API, for ApiVersions. */
  apis: readonly Api[];
}

/** Returned by a handler when Kafka sends no response at all (Produce with acks=0). */
export const NO_RESPONSE: object = Object.freeze({});

export interface ApiDefinition<Req, Res> {
  apiKey: number;
  /** Kafka's ApiKeys name, e.g. `CreateTopics`; also the key in the broker's request stats. */
  name: string;
  /** The versions served and advertised in ApiVersions, e.g. `0-7`. */
  versions: string;
  request: MessageSchema;
  response: MessageSchema;
  /** Accepted on a SASL listener before authentication (ApiVersions, SaslHandshake, SaslAuthenticate). */
  beforeAuthentication?: boolean;
  handle(request: Req, context: RequestContext): Res | Promise<Res>;
}

export interface Api {
  apiKey: number;
  name: string;
  versions: VersionRange;
  request: MessageSchema;
  response: MessageSchema;
  beforeAuthentication: boolean;
  handle(request: unknown, context: RequestContext): object | Promise<object>;
}

/** Types one API module's handler against its own request/response shapes and erases them for the registry. */
export function defineApi<Req, Res extends object>(definition: ApiDefinition<Req, Res>): Api {
  return {
    apiKey: definition.apiKey,
    name: definition.name,
    versions: versionRange(definition.versions),
    request: definition.request,
    response: definition.response,
    beforeAuthentication: definition.beforeAuthentication ?? false,
    handle: (request, context) => definition.handle(request as Req, context),
  };
}

/** The principal and client host as the authorizer wants them. */
export function authorize(context: RequestContext, resourceType: number, resourceName: string, operation: number): boolean {
  return context.authorizer.authorize(context.session.principal, context.session.clientHost, resourceType, resourceName, operation);
}

/** Kafka's "not requested" value for authorized-operation bit sets. */
export const OPERATIONS_NOT_REQUESTED = -2147483648;

/** The caller's `authorizedOperations` bit set on a resource when the request asked for it (Metadata, DescribeCluster). */
export function authorizedOperations(context: RequestContext, requested: boolean, resourceType: number, resourceName: string): number {
  if (!requested) return OPERATIONS_NOT_REQUESTED;
  return context.authorizer.authorizedOperations(context.session.principal, context.session.clientHost, resourceType, resourceName);
}

const DENIED_BY_RESOURCE: Record<number, { code: ErrorCodeValue; message: string }> = {
  [ResourceType.TOPIC]: { code: ErrorCode.TOPIC_AUTHORIZATION_FAILED, message: 'Topic authorization failed.' },
  [ResourceType.GROUP]: { code: ErrorCode.GROUP_AUTHORIZATION_FAILED, message: 'Group authorization failed.' },
  [ResourceType.CLUSTER]: { code: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, message: 'Cluster authorization failed.' },
  [ResourceType.TRANSACTIONAL_ID]: { code: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, message: 'Transactional Id authorization failed.' },
};

/** Throws the authorization error Kafka uses for the resource type: 29 topic, 30 group, 31 cluster, 53 transactional id. */
export function requireAccess(context: RequestContext, resourceType: number, resourceName: string, operation: number): void {
  if (authorize(context, resourceType, resourceName, operation)) return;
  const denied = DENIED_BY_RESOURCE[resourceType] ?? { code: ErrorCode.UNKNOWN_SERVER_ERROR, message: `Authorization failed on resource type ${resourceType}.` };
  throw new KafkaError(denied.code, denied.message);
}
