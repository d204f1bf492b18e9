/** Schema registry provisioning: the engine behind `meshform schemas`, `meshform kafka apply` and Pulumi. */
export {
  RegistryClient,
  RegistryUnavailable,
  RegistryRequestError,
  resolveRegistry,
  describeRegistry,
  type RegistryConnection,
  type SchemaBody,
} from './client';
export { reconcileSchemas, formatSchemaReport, type SchemaReconcileRequest, type SchemaReport, type SubjectStatus } from './reconcile';
