import { APIS } from '../../src/test-broker/apis';

/** The data-plane APIs a producer and a manually assigned consumer need. */
export const DATA_APIS = ['Produce', 'Fetch', 'ListOffsets'];
/** The group APIs a one-member kafkajs consumer group needs on top of DATA_APIS. */
export const GROUP_APIS = ['FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup', 'OffsetCommit', 'OffsetFetch'];

/** Why tests needing `names` cannot run yet (the broker does not serve them), or null. Read from the broker's own API registry. */
export function apisMissing(names: string[]): string | null {
  const served = new Set(APIS.map((api) => api.name));
  const missing = names.filter((name) => !served.has(name));
  return missing.length === 0 ? null : `the test broker does not serve ${missing.join(', ')} yet`;
}
