import { Api } from './api';
import { alterConfigs } from './alter-configs';
import { apiVersions } from './api-versions';
import { createAcls } from './create-acls';
import { createPartitions } from './create-partitions';
import { createTopics } from './create-topics';
import { deleteAcls } from './delete-acls';
import { deleteTopics } from './delete-topics';
import { describeAcls } from './describe-acls';
import { describeCluster } from './describe-cluster';
import { describeConfigs } from './describe-configs';
import { incrementalAlterConfigs } from './incremental-alter-configs';
import { metadata } from './metadata';
import { saslAuthenticate } from './sasl-authenticate';
import { saslHandshake } from './sasl-handshake';

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
  saslHandshake,
  saslAuthenticate,
  // Tier 2: data (Produce, Fetch, ListOffsets, groups, offsets) goes here.
];
