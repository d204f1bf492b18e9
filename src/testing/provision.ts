/**
 * Provisioning a sandbox from a plan: one SASL user per product principal plus an admin, the plan's
 * topics and ACLs applied by the same engine as `meshform kafka apply`, its schema subjects by the
 * same engine as `meshform schemas apply`, and a wait until every product is served (ready.ts).
 * Shared by meshform/testing and `meshform dev up`.
 */
import { randomBytes } from 'node:crypto';
import { OwnershipScope, plainLogin, reconcileKafka, type KafkaReport } from '../adapters/kafka';
import { RegistryClient, reconcileSchemas, type SchemaReport } from '../adapters/schema-registry';
import { productPrincipal } from '../plan';
import type { Plan, PlannedProduct } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { waitUntilServing, type Credentials } from './ready';

export interface SandboxUsers {
  /** A super user, for setup the products themselves may not do. */
  admin: Credentials;
  /** SASL/PLAIN credentials by principal (`User:<product id>` with the default template). */
  credentials: Record<string, Credentials>;
}

export function productIds(plan: Plan): string[] {
  return plannedProducts(plan).map((p) => p.id);
}

/** The plan's products with what they adopted (a plan without products: ids from its resources). */
function plannedProducts(plan: Plan): Array<Pick<PlannedProduct, 'id' | 'adopted'>> {
  return plan.products.length ? plan.products : [...new Set(plan.resources.map((r) => r.product))].map((id) => ({ id }));
}

/** A product's principals: the ones it adopted, else the stack template's. */
export function sandboxPrincipals(plan: Plan, id: string, stack: StackConfig): string[] {
  const adopted = plannedProducts(plan).find((p) => p.id === id)?.adopted?.principals;
  return adopted?.length ? [...adopted] : [productPrincipal(id, stack)];
}

function secret(): string {
  return randomBytes(12).toString('base64url');
}

/** A user per product principal (kept from `existing` where it has one) and an admin. */
export function sandboxUsers(plan: Plan, stack: StackConfig, existing?: SandboxUsers): SandboxUsers {
  const admin = existing?.admin ?? { username: 'admin', password: secret() };
  const credentials: Record<string, Credentials> = {};
  for (const principal of productIds(plan).flatMap((id) => sandboxPrincipals(plan, id, stack))) {
    if (!principal.startsWith('User:')) throw new Error(`principal ${principal} is not a SASL user principal (User:<name>)`);
    credentials[principal] = existing?.credentials[principal] ?? { username: principal.slice('User:'.length), password: secret() };
  }
  return { admin, credentials };
}

/** `{user: password}` of every sandbox user, for the broker's SASL configuration. */
export function saslUsers(users: SandboxUsers): Record<string, string> {
  return Object.fromEntries([users.admin, ...Object.values(users.credentials)].map((c) => [c.username, c.password]));
}

/** Applies the plan's topics and ACLs as the admin; throws naming what failed; returns once every product is served. */
export async function provisionKafka(bootstrap: string, plan: Plan, stack: StackConfig, users: SandboxUsers): Promise<KafkaReport> {
  const report = await reconcileKafka(
    { brokers: [bootstrap], clientId: 'meshform-testing', tls: false, sasl: plainLogin(users.admin) },
    {
      resources: plan.resources,
      scope: OwnershipScope.ofPlan(plannedProducts(plan), stack.kafka.principalTemplate),
      permissions: { allowDelete: false, allowDeletePrivate: false },
      mode: 'apply',
    },
  );
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    const bad = report.resources.filter((r) => r.state === 'FAILED' || r.state === 'REFUSED');
    throw new Error(`provisioning failed: ${bad.map((r) => `${r.name}: ${r.error ?? r.reason}`).join('; ')}`);
  }
  await waitUntilServing({ bootstrap, plan, admin: users.admin, credentials: users.credentials });
  return report;
}

/** Sets each subject's compatibility and registers its schema; throws naming what was refused or failed. */
export async function provisionSchemas(url: string, plan: Plan, stack: StackConfig): Promise<SchemaReport> {
  const report = await reconcileSchemas(new RegistryClient({ url }), {
    resources: plan.resources,
    scope: OwnershipScope.ofPlan(plannedProducts(plan), stack.kafka.principalTemplate),
    mode: 'apply',
    allowDelete: false,
  });
  if (report.summary.failed > 0 || report.summary.refused > 0) {
    const bad = report.resources.filter((r) => r.state === 'FAILED' || r.state === 'REFUSED');
    throw new Error(`registering schemas failed: ${bad.map((r) => `${r.subject}: ${r.error ?? r.reason}`).join('; ')}`);
  }
  return report;
}

/** The stack a sandbox runs with: the given one (or a test stack) with replicas capped at 1 (one broker) and no Crossplane. */
export function sandboxStack(stack: StackConfig | undefined): StackConfig {
  const base: StackConfig = stack ?? {
    name: 'test',
    environment: 'test',
    gcp: { project: 'test', location: 'EU' },
    kafka: {
      principalTemplate: 'User:{domain}',
      defaultPartitions: 1,
      defaultReplicas: 1,
      partitionFactor: 1,
      quotas: { defaults: {}, factor: 1 },
      allowDelete: false,
      allowDeletePrivate: false,
      allowBreaking: false,
      connection: { clientId: 'meshform-testing', tls: false },
    },
    crossplane: { enabled: false, delivery: 'pulumi', namespace: 'default' },
    schemas: { compatibility: 'BACKWARD', registry: {} },
    protect: false,
    specs: 'specs',
  };
  return { ...base, crossplane: { ...base.crossplane, enabled: false }, kafka: { ...base.kafka, replicasCap: 1 } };
}
