/**
 * The schema registry engine behind `meshform schemas plan|apply`, `meshform kafka apply` and the
 * Pulumi resource: read what the plan's subjects hold, decide per subject, and (apply) set each
 * subject's compatibility level before registering its schema.
 *
 * - A schema already registered under the subject is a no-op (the registry's own lookup decides).
 * - A new schema is checked first: by the registry (`/compatibility/...`) when the subject already
 *   has the planned level, else locally under the planned level (the registry cannot be asked about
 *   a level it does not have yet without changing it). Incompatible: REFUSED with the reason, and
 *   every other change of that product is held back, so a product's contract changes whole or not at all.
 * - Subjects of in-scope products that the plan no longer has are deleted only with `allowDelete`.
 */
import { compareText } from '../../compare';
import { mapLimit } from '../../map-limit';
import type { Resource, SchemaSubject, SchemaSubjectProps } from '../../plan/types';
import { FORMATS, compatibilityProblems, type SchemaType } from '../../schemas';
import { summarise, summaryLine, MARK, type ApplyState, type PlanState, type Summary } from '../kafka/engine/report';
import type { OwnershipScope } from '../kafka/engine/scope';
import { RegistryRequestError, RegistryUnavailable, type RegisteredVersion, type RegistryClient, type SchemaBody } from './client';

export interface SchemaReconcileRequest {
  /** The plan's resources; kinds other than schema:Subject are ignored. */
  resources: readonly Resource[];
  scope: OwnershipScope;
  mode: 'plan' | 'apply';
  /** Delete subjects of in-scope products that the plan no longer has. */
  allowDelete: boolean;
  /** Products whose changes must wait, with why (e.g. their Kafka changes were refused). */
  holdBack?: ReadonlyMap<string, string>;
  onProgress?: (message: string) => void;
}

export interface SubjectStatus {
  kind: 'schema:Subject';
  /** The plan's resource name, or the subject for one the plan no longer has. */
  name: string;
  product: string;
  subject: string;
  schemaType?: SchemaType;
  state: PlanState | ApplyState;
  /** `register a new version`, `compatibility NONE -> BACKWARD`, ... */
  changes: string[];
  /** The registered version after apply (or found by plan). */
  version?: number;
  reason?: string;
  error?: string;
}

export interface SchemaReport {
  mode: 'plan' | 'apply';
  resources: SubjectStatus[];
  summary: Summary;
  /** Products with a refused (incompatible) schema, and why: nothing of theirs was changed. */
  refusedProducts: Record<string, string>;
}

interface Item {
  status: SubjectStatus;
  desired?: SchemaSubjectProps;
  /** What apply has to do. */
  setCompatibility: boolean;
  register: boolean;
  remove: boolean;
  /** Refused because the schema is incompatible (holds back the product). */
  incompatible: boolean;
}

const READ_CONCURRENCY = 4;

export async function reconcileSchemas(client: RegistryClient, request: SchemaReconcileRequest): Promise<SchemaReport> {
  const progress = request.onProgress ?? (() => undefined);
  const desired = request.resources.filter((r): r is SchemaSubject => r.kind === 'schema:Subject');
  progress('reading the schema registry');
  const existing = new Set(await client.subjects());

  const items = await mapLimit(desired, READ_CONCURRENCY, (r) => readSubject(client, r, existing.has(r.properties.subject)));
  const planned = new Set(desired.map((r) => r.properties.subject));
  for (const subject of [...existing].sort(compareText)) {
    if (planned.has(subject)) continue;
    const topic = /^(.*)-(key|value)$/.exec(subject)?.[1];
    const product = topic === undefined ? undefined : request.scope.ownerOfName(topic);
    if (product === undefined) continue;
    const refusal = request.allowDelete ? undefined : 'not declared in the specs; deleting it needs --allow-delete, or declare the schema again';
    items.push({
      status: { kind: 'schema:Subject', name: subject, product, subject, state: refusal ? 'REFUSED' : 'DELETE', changes: ['delete subject'], ...(refusal && { reason: refusal }) },
      setCompatibility: false,
      register: false,
      remove: !refusal,
      incompatible: false,
    });
  }

  const refusedProducts: Record<string, string> = {};
  for (const item of items) {
    if (item.incompatible && !refusedProducts[item.status.product]) refusedProducts[item.status.product] = `schema ${item.status.subject} was refused`;
  }
  for (const [product, why] of request.holdBack ?? []) refusedProducts[product] ??= why;
  for (const item of items) {
    const why = refusedProducts[item.status.product];
    if (!why || item.incompatible || !isPending(item)) continue;
    item.status.state = 'REFUSED';
    item.status.reason = `held back: ${why}; nothing of ${item.status.product} is changed`;
    item.setCompatibility = item.register = item.remove = false;
  }

  if (request.mode === 'apply') await applyItems(client, items.filter(isPending), progress);
  const resources = items.map((i) => i.status);
  return { mode: request.mode, resources, summary: summarise(resources), refusedProducts };
}

function isPending(item: Item): boolean {
  return item.setCompatibility || item.register || item.remove;
}

export function bodyOf(p: SchemaSubjectProps): SchemaBody {
  return { schema: p.schema, schemaType: p.schemaType, references: p.references };
}

async function readSubject(client: RegistryClient, r: SchemaSubject, exists: boolean): Promise<Item> {
  const p = r.properties;
  const status: SubjectStatus = { kind: 'schema:Subject', name: r.name, product: r.product, subject: p.subject, schemaType: p.schemaType, state: 'UNCHANGED', changes: [] };
  const item: Item = { status, desired: p, setCompatibility: false, register: false, remove: false, incompatible: false };
  if (!exists) {
    status.state = 'CREATE';
    status.changes.push(`register ${p.schemaType} schema`, `compatibility ${p.compatibility}`);
    item.setCompatibility = item.register = true;
    return item;
  }
  const body = bodyOf(p);
  const [looked, level] = await Promise.all([client.lookup(p.subject, body), client.compatibility(p.subject)]);
  const found = looked ?? (await sameAsLatest(client, p));
  if (level !== p.compatibility) {
    status.changes.push(`compatibility ${level ?? 'registry default'} -> ${p.compatibility}`);
    item.setCompatibility = true;
  }
  if (found) {
    status.version = found.version;
  } else {
    const problems = await incompatibility(client, p, level);
    if (problems) {
      status.state = 'REFUSED';
      status.reason = problems;
      item.incompatible = true;
      item.setCompatibility = false;
      return item;
    }
    status.changes.push(`register a new ${p.schemaType} version`);
    item.register = true;
  }
  status.state = isPending(item) ? 'UPDATE' : 'UNCHANGED';
  return item;
}

/**
 * The latest version when it is the planned schema written differently: a registry's lookup may
 * compare text (Apicurio's does), and a subject someone else registered (an adopted estate) holds
 * the same schema with other spacing, key order or spelling (`{"type": "string"}` for `"string"`).
 * The registered text, put through the format's own canonical form, equals the planned text, and
 * neither has references: the schema is registered already, nothing to do.
 */
async function sameAsLatest(client: RegistryClient, p: SchemaSubjectProps): Promise<RegisteredVersion | undefined> {
  if (p.references.length > 0) return undefined;
  const latest = await client.latest(p.subject);
  if (!latest || latest.schemaType !== p.schemaType) return undefined;
  const format = FORMATS[p.schemaType];
  let canonical: string;
  try {
    const value = p.schemaType === 'PROTOBUF' ? latest.schema : JSON.parse(latest.schema);
    if (format.validate(value).some((problem) => !problem.warning)) return undefined;
    canonical = format.canonical(value);
  } catch {
    return undefined;
  }
  if (canonical !== p.schema) return undefined;
  const registered = await client.schemaById(latest.id);
  return registered && registered.references.length === 0 ? latest : undefined;
}

/** Why the new schema is refused, or undefined when it may be registered. */
async function incompatibility(client: RegistryClient, p: SchemaSubjectProps, current: string | undefined): Promise<string | undefined> {
  if (p.compatibility === 'NONE') return undefined;
  const latest = await client.latest(p.subject);
  const local = latest ? localProblems(p, latest.schema, latest.schemaType) : [];
  if (current === p.compatibility) {
    const verdict = await client.checkCompatibility(p.subject, bodyOf(p));
    if (verdict.compatible) return undefined;
    const registry = verdict.messages.length ? verdict.messages.join('; ') : `incompatible with the registered version${latest ? ` ${latest.version}` : 's'}`;
    return `the registry refuses it under ${p.compatibility}: ${registry}${local.length ? ` (meshform's check: ${local.join('; ')})` : ''}`;
  }
  if (local.length === 0) return undefined;
  return `incompatible under ${p.compatibility} with registered version ${latest?.version} (meshform's check, the subject's level being ${current ?? 'the registry default'} until apply sets it): ${local.join('; ')}`;
}

function localProblems(p: SchemaSubjectProps, registered: string, registeredType: SchemaType): string[] {
  if (registeredType !== p.schemaType) return [`schema type changes from ${registeredType} to ${p.schemaType}`];
  try {
    const parse = (text: string) => (p.schemaType === 'PROTOBUF' ? text : JSON.parse(text));
    return compatibilityProblems(p.schemaType, p.compatibility, parse(registered), parse(p.schema));
  } catch (e) {
    return [`the registered version cannot be read locally (${(e as Error).message})`];
  }
}

async function applyItems(client: RegistryClient, pending: Item[], progress: (m: string) => void): Promise<void> {
  let unavailable: string | undefined;
  for (const [n, item] of pending.entries()) {
    const s = item.status;
    if (unavailable) {
      s.state = 'FAILED';
      s.error = `not attempted: ${unavailable}`;
      continue;
    }
    progress(`${n + 1}/${pending.length} ${s.subject}`);
    try {
      if (item.remove) {
        await client.deleteSubject(s.subject);
        s.state = 'DELETED';
        continue;
      }
      const p = item.desired!;
      let configured = !item.setCompatibility;
      if (!configured) {
        try {
          await client.setCompatibility(p.subject, p.compatibility);
          configured = true;
        } catch (e) {
          // Some registries (Apicurio for NONE) cannot configure a subject before it exists: a first
          // version has nothing to be compatible with, so it is registered first, then configured.
          if (!(e instanceof RegistryRequestError && e.status === 404 && s.state === 'CREATE')) throw e;
        }
      }
      if (item.register) await client.register(p.subject, bodyOf(p));
      if (!configured) await client.setCompatibility(p.subject, p.compatibility);
      // Read back: the registry, not its answer, says what is there.
      const found = await client.lookup(p.subject, bodyOf(p));
      const level = await client.compatibility(p.subject);
      if (!found || level !== p.compatibility) {
        s.state = 'FAILED';
        s.error = `the registry reported success but reading back shows ${found ? `compatibility ${level ?? 'unset'}` : 'no such schema'}`;
        continue;
      }
      s.version = found.version;
      s.state = s.state === 'CREATE' ? 'CREATED' : 'UPDATED';
    } catch (e) {
      if (e instanceof RegistryUnavailable) {
        unavailable = e.message;
        s.state = 'FAILED';
        s.error = e.message;
      } else if (e instanceof RegistryRequestError && e.status === 409) {
        s.state = 'REFUSED';
        s.reason = `the registry refused it: ${e.message}`;
      } else if (e instanceof RegistryRequestError) {
        s.state = 'FAILED';
        s.error = e.message;
      } else {
        throw e;
      }
    }
  }
}

/** One line per subject that is not UNCHANGED, then the summary line. */
export function formatSchemaReport(report: SchemaReport): string[] {
  const lines: string[] = [];
  for (const r of report.resources) {
    if (r.state === 'UNCHANGED') continue;
    const details = r.changes.length > 0 ? ` (${r.changes.join(', ')})` : '';
    const version = r.version !== undefined && (r.state === 'CREATED' || r.state === 'UPDATED') ? ` version ${r.version}` : '';
    const why = r.reason ? `: ${r.reason}` : r.error ? `: ${r.error}` : '';
    lines.push(`${MARK[r.state]} ${r.state} subject ${r.subject}${version}${details}${why}`);
  }
  lines.push(`schemas: ${summaryLine(report.mode, report.summary)}`);
  return lines;
}
