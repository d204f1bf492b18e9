/**
 * A saved Kafka plan (`meshform kafka plan --out <file>`): the changes the plan found, and a
 * fingerprint of what they depend on, so that `meshform kafka apply --plan <file>` makes exactly
 * those changes, or none when the cluster has moved since (see engine/fingerprint.ts).
 *
 * What the file holds: the stack's name, the cluster's id and bootstrap addresses, the `--product`
 * selection, the delete permissions, each product's principal, the changes (desired topic settings,
 * the topic as it was, ACL bindings), the state fingerprint and, with a registry, its URL and the
 * schema subjects with the registry's answers. What it never holds: a password, a SASL or registry
 * username, a TLS key, or a config value the broker hides (sensitive configs are read as names only).
 * A checksum over the rest catches a file changed after it was written.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  aclKey,
  fingerprintState,
  OwnershipScope,
  type Change,
  type ClusterState,
  type DeletePermissions,
  type KafkaConnection,
  type KafkaReport,
  type ReconcileRequest,
  type ResourceStatus,
  type StateFingerprint,
  type Summary,
} from '../adapters/kafka';
import type { RegistryConnection, SchemaReport, SubjectStatus } from '../adapters/schema-registry';
import type { KafkaAclProps, SchemaSubject } from '../plan/types';
import { describeFsError } from '../reading/files';
import type { NameClaims } from '../vocabulary/topic-names';

export const SAVED_PLAN_FORMAT = 'meshform-kafka-plan';
export const SAVED_PLAN_VERSION = 1;

export interface SavedKafkaPlan {
  format: typeof SAVED_PLAN_FORMAT;
  version: typeof SAVED_PLAN_VERSION;
  /** The meshform version that made it. */
  meshform: string;
  createdAt: string;
  stack: string;
  /** The cluster the plan was made against: its id (Metadata), and where it was reached. */
  cluster: { id: string | null; bootstrap: string[] };
  /** `--product` patterns; empty: every product of the mesh. */
  selection: string[];
  permissions: DeletePermissions;
  allOrNothing: boolean;
  /**
   * The products in scope, each with its principal (the stack's principalTemplate applied); a
   * product with adopted principals has none here (no CLUSTER ACL is its) and is in `adopted`.
   */
  principals: Record<string, string>;
  /** The names products in scope adopted (`x-meshform.adopt`): only products that adopt any. */
  adopted?: Record<string, NameClaims>;
  /** Names the plan declares outside every in-scope product's own (read and fingerprinted too). */
  declared: { topics: string[]; acls: KafkaAclProps[] };
  /** The scope's part of the cluster when the plan was made. */
  state: StateFingerprint;
  /**
   * Every change that is not UNCHANGED (refused ones too: they are reported again, never made), and
   * the same as the lines `kafka plan` printed.
   */
  kafka: { summary: Summary; changes: Change[]; resources: ResourceStatus[] };
  /** With a schema registry: the selected subjects and what the registry answered for each. */
  schemas?: {
    registry: string;
    allowDelete: boolean;
    subjects: SchemaSubject[];
    report: { summary: Summary; resources: SubjectStatus[]; refusedProducts: Record<string, string> };
  };
  /** sha256 of the file's JSON without this field. */
  checksum: string;
}

export interface PlanMade {
  report: KafkaReport;
  state: ClusterState;
  changes: readonly Change[];
  clusterId: string | null;
  stack: string;
  connection: KafkaConnection;
  selection: string[];
  permissions: DeletePermissions;
  allOrNothing: boolean;
  request: ReconcileRequest;
  schemas?: SchemaReport;
  registry?: RegistryConnection;
}

export function savedPlan(made: PlanMade): SavedKafkaPlan {
  const { scope } = made.request;
  const declared = {
    topics: made.request.resources.flatMap((r) => (r.kind === 'kafka:Topic' && !scope.ownsTopic(r.properties.topic) ? [r.properties.topic] : [])),
    acls: made.request.resources.flatMap((r) => (r.kind === 'kafka:Acl' && scope.ownerOfAcl(r.properties) === undefined ? [r.properties] : [])),
  };
  const adopted = scope.products.flatMap((p) => { const claims = scope.claimsOf(p); return adoptsAny(claims) ? [[p, claims] as const] : []; });
  const body: Omit<SavedKafkaPlan, 'checksum'> = {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    meshform: (require('meshform/package.json') as { version: string }).version,
    createdAt: new Date().toISOString(),
    stack: made.stack,
    cluster: { id: made.clusterId, bootstrap: made.connection.brokers },
    selection: made.selection,
    permissions: made.permissions,
    allOrNothing: made.allOrNothing,
    principals: Object.fromEntries(scope.products.flatMap((p) => { const principal = scope.principalOf(p); return principal === undefined ? [] : [[p, principal]]; })),
    ...(adopted.length > 0 && { adopted: Object.fromEntries(adopted) }),
    declared,
    state: fingerprintState(made.state, scope),
    kafka: {
      summary: made.report.summary,
      changes: made.changes.filter((c) => c.action !== 'UNCHANGED'),
      resources: made.report.resources.filter((r) => r.state !== 'UNCHANGED'),
    },
  };
  if (made.schemas && made.registry) {
    const { summary, resources, refusedProducts } = made.schemas;
    body.schemas = {
      registry: made.registry.url,
      allowDelete: made.permissions.allowDelete,
      subjects: made.request.resources.filter((r): r is SchemaSubject => r.kind === 'schema:Subject'),
      report: { summary, resources: resources.filter((r) => r.state !== 'UNCHANGED'), refusedProducts },
    };
  }
  return { ...body, checksum: checksum(JSON.stringify(body)) };
}

/** The scope a saved plan was made for. */
export function savedScope(plan: SavedKafkaPlan): OwnershipScope {
  const adopted = plan.adopted ?? {};
  const products = [...new Set([...Object.keys(plan.principals), ...Object.keys(adopted)])];
  return new OwnershipScope(products, new Map(Object.entries(plan.principals)), new Map(Object.entries(adopted)));
}

const adoptsAny = (claims: NameClaims) => Object.values(claims).some((list) => Array.isArray(list) && list.length > 0);

/** The names `readState` admits besides the scope's own, as `declaredNames` gives them. */
// Quotas (kafka:Quota, merged from main after saved plans were written) are not saved in a plan yet.
export function savedDeclared(plan: SavedKafkaPlan): { topics: Set<string>; acls: Set<string>; quotaUsers: Set<string> } {
  return { topics: new Set(plan.declared.topics), acls: new Set(plan.declared.acls.map(aclKey)), quotaUsers: new Set() };
}

/** Writes the plan (the folder is created; an existing file is replaced whole); a problem in words, or undefined. */
export function writeSavedPlan(file: string, plan: SavedKafkaPlan): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(plan)}\n`);
    renameSync(temporary, file);
    return undefined;
  } catch (e) {
    return `cannot write the plan to ${file}: ${describeFsError(e)}`;
  }
}

/** A saved plan read back and checked, or why it cannot be used. */
export function readSavedPlan(file: string): { plan: SavedKafkaPlan } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: `cannot read the plan ${file}: ${describeFsError(e)}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `${file} is not a saved plan (not JSON); make one with 'meshform kafka plan --out ${file}'` };
  }
  const plan = value as Partial<SavedKafkaPlan> | null;
  if (plan === null || typeof plan !== 'object' || plan.format !== SAVED_PLAN_FORMAT) {
    return { problem: `${file} is not a saved plan; make one with 'meshform kafka plan --out ${file}'` };
  }
  if (plan.version !== SAVED_PLAN_VERSION) {
    return { problem: `${file} is a saved plan of format version ${String(plan.version)}, made by meshform ${String(plan.meshform)}; this meshform reads version ${SAVED_PLAN_VERSION}: make the plan again` };
  }
  const { checksum: written, ...body } = plan;
  if (written !== checksum(JSON.stringify(body))) {
    return { problem: `${file} was changed after 'meshform kafka plan --out' wrote it (its checksum does not match); make the plan again` };
  }
  return { plan: plan as SavedKafkaPlan };
}

function checksum(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
