/**
 * ListGroups (API key 16), versions 0-4: the groups the broker it is sent to coordinates (each
 * broker answers for its own). Flexible from v3; the group's state (Stable, Empty, ...) from v4.
 * Kafka lists every group to a caller with DESCRIBE on the cluster, else only the groups it may
 * describe. apache/kafka ListGroupsRequest.json / Response.json.
 */
import { Reader, Writer, wireProtocol } from './codec';

export const LIST_GROUPS = { apiKey: 16, name: 'ListGroups', versions: [0, 1, 2, 3, 4] } as const;

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** v4+; null before. */
  state: string | null;
}

export interface ListGroupsResult {
  errorCode: number;
  groups: ListedGroup[];
}

export function listGroups(version: number) {
  const flexible = version >= 3;
  return wireProtocol(
    LIST_GROUPS.apiKey,
    LIST_GROUPS.name,
    version,
    () => {
      const w = new Writer(flexible);
      // v4 statesFilter: empty = every state.
      if (version >= 4) w.array<string>([], (x, s) => x.string(s));
      return w.tags();
    },
    (raw): ListGroupsResult => {
      const r = new Reader(raw, flexible);
      if (version >= 1) r.int32(); // throttle_time_ms
      const errorCode = r.int16();
      const groups = r.array((g): ListedGroup => {
        const groupId = g.string();
        const protocolType = g.string();
        const state = version >= 4 ? g.string() : null;
        g.tags();
        return { groupId, protocolType, state };
      });
      r.tags();
      return { errorCode, groups };
    },
  );
}
