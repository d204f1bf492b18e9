/** Kafka reconcile: the engine behind `meshform kafka`, the Pulumi provider and the test kit. */
export { carryOut, declaredNames, reconcile, reconcileKafka, StalePlanError, type CarryOutRequest, type ReconcileRequest } from './engine/reconcile';
export { fingerprintState, movedSince, type StateFingerprint } from './engine/fingerprint';
export { diff, aclName, type Change, type TopicChange, type AclChange, type DeletePermissions, type Consumers, type Action } from './engine/diff';
export { readState, readCluster, readQuotas, selectState, aclKey, type ClusterState, type ActualTopic } from './engine/state';
export { ClusterSnapshot } from './engine/snapshot';
export { ClusterLease, LeaseBusy, LeaseLost, LEASE_RESOURCE, LEASE_WAIT_ENV, leaseWaitMs, describeSelf, leaseBinding, leaseHolderOf, type LeaseHolder, type LeaseOptions } from './engine/lease';
export { applyChanges, type Outcome } from './engine/apply';
export { OwnershipScope } from './engine/scope';
export { isPrivateTopic } from '../../vocabulary/topic-names';
export {
  resolveConnection,
  describeConnection,
  plainLogin,
  kafkaSettingsFromEnv,
  KafkaConfigError,
  KAFKA_ENV,
  type KafkaConnection,
  type ConnectionOverrides,
  type SaslMechanism,
} from '../../stack/kafka-connection';
export { KafkaWire, KafkaWireError, type WireOptions } from './client/wire';
export { formatReport, summarise, summaryLine, aclText, type KafkaReport, type ResourceStatus, type Summary, type PlanState, type ApplyState } from './engine/report';
export { DEFAULT_LIMITS, type BatchLimits } from './engine/batches';
export { exportDomain, ExportError, PLACEHOLDER_OWNER, type ExportResult, type ExportSizing } from './reports/export';
