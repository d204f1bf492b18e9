import { Api, BrokerSettings } from '../apis/api';
import { ClusterState } from '../cluster/cluster-state';
import { Authorizer } from '../security/authorizer';
import { FaultPlan } from './faults';
import { RequestStats } from './request-stats';

/** What every node and connection of one test broker shares. */
export interface BrokerRuntime {
  cluster: ClusterState;
  authorizer: Authorizer;
  settings: BrokerSettings;
  apis: readonly Api[];
  faults: FaultPlan;
  stats: RequestStats;
}
