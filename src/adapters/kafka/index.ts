/** Kafka reconcile: the engine behind `meshform kafka`, the Pulumi provider and the test kit. */
export { declaredNames, reconcile, reconcileKafka, StalePlanError, type ReconcileRequest } from './reconcile';
export { diff, aclName, type Change, type TopicChange, type AclChange, type DeletePermissions, type Consumers, type Action } from './diff';
export { readState, readCluster, selectState, aclKey, type ClusterState, type ActualTopic } from './state';
export { ClusterSnapshot } from './snapshot';
export { applyChanges, type Outcome } from './apply';
export { OwnershipScope, isPrivateTopic } from './scope';
export {
  resolveConnection,
  describeConnection,
  redact,
  KafkaConfigError,
  ENV,
  type KafkaConnection,
  type ConnectionOverrides,
  type SaslMechanism,
} from './connection';
export { KafkaWire, KafkaWireError, type WireOptions } from './wire';
export { formatReport, summarise, summaryLine, aclText, type KafkaReport, type ResourceStatus, type Summary, type PlanState, type ApplyState } from './report';
export { DEFAULT_LIMITS, type BatchLimits } from './batches';
export { exportDomain, ExportError, PLACEHOLDER_OWNER, type ExportResult, type ExportSizing } from './export';
