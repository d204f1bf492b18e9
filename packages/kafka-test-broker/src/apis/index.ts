import { Api } from './api';
import { alterClientQuotas } from './alter-client-quotas';
import { alterConfigs } from './alter-configs';
import { apiVersions } from './api-versions';
import { createAcls } from './create-acls';
import { createPartitions } from './create-partitions';
import { createTopics } from './create-topics';
import { deleteAcls } from './delete-acls';
import { deleteTopics } from './delete-topics';
import { describeAcls } from './describe-acls';
import { describeClientQuotas } from './describe-client-quotas';
import { describeCluster } from './describe-cluster';
import { describeConfigs } from './describe-configs';
import { describeGroups } from './describe-groups';
import { describeLogDirs } from './describe-log-dirs';
import { incrementalAlterConfigs } from './incremental-alter-configs';
import { metadata } from './metadata';
import { saslAuthenticate } from './sasl-authenticate';
import { saslHandshake } from './sasl-handshake';
import { fetch } from './fetch';
import { findCoordinator } from './find-coordinator';
import { heartbeat } from './heartbeat';
import { joinGroup } from './join-group';
import { leaveGroup } from './leave-group';
import { listGroups } from './list-groups';
import { listOffsets } from './list-offsets';
import { offsetCommit } from './offset-commit';
import { offsetFetch } from './offset-fetch';
import { produce } from './produce';
import { syncGroup } from './sync-group';

/** Every API the broker serves and advertises. Adding an API = one module in this folder + one line here. */
export const APIS: readonly Api[] = [
  // Tier 1: admin and security.
  apiVersions,
  metadata,
  createTopics,
  deleteTopics,
  createPartitions,
  describeConfigs,
  alterConfigs,
  incrementalAlterConfigs,
  createAcls,
  describeAcls,
  deleteAcls,
  describeCluster,
  describeLogDirs,
  describeClientQuotas,
  alterClientQuotas,
  saslHandshake,
  saslAuthenticate,
  // Tier 2: data (Produce, Fetch, ListOffsets, groups, offsets) goes here.
  produce,
  fetch,
  listOffsets,
  findCoordinator,
  joinGroup,
  syncGroup,
  heartbeat,
  leaveGroup,
  offsetCommit,
  offsetFetch,
  listGroups,
  describeGroups,
];
