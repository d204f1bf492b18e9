/**
 * A whole-cluster state kept by a long-lived reader (the Pulumi provider serves every product of a
 * `pulumi up` from one), indexed by the product ids that can own each name, so that selecting or
 * replacing one product's slice costs the size of the slice, not of the cluster. Scanning the whole
 * state per product made a first `pulumi up` of 1,000 products quadratic (10,000 topics and
 * 34,000 ACLs looked at twice for each product).
 */
import type { KafkaAclProps } from '../../../plan/types';
import type { OwnershipScope } from './scope';
import { claimStem, isPrefixClaim, namespaceCandidates, type NameClaims } from '../../../vocabulary/topic-names';
import { quotaUser } from '../../../plan/kafka';
import { aclKey, type ActualTopic, type ClusterState } from './state';

type Declared = { topics: ReadonlySet<string>; acls: ReadonlySet<string>; quotaUsers?: ReadonlySet<string> };

export class ClusterSnapshot {
  private readonly topics = new Map<string, ActualTopic>();
  /** Bindings by `aclKey`. */
  private readonly acls = new Map<string, KafkaAclProps>();
  /** Topic names, and ACL keys, by each product id that could own them (`namespaceCandidates` in vocabulary/topic-names.ts). */
  private readonly topicsBy = new Map<string, Set<string>>();
  private readonly aclsBy = new Map<string, Set<string>>();
  /** ACL keys by resource name: for names products adopted, which no product id prefixes. */
  private readonly aclsByResource = new Map<string, Set<string>>();
  /** Client quotas by `user` entity; undefined when the cluster's could not be read. */
  private quotas?: Map<string, Record<string, number>>;

  constructor(state: ClusterState) {
    this.add(state);
  }

  /** How many ACL bindings the cluster holds, as far as the snapshot knows. */
  get aclCount(): number {
    return this.acls.size;
  }

  /** The part of the cluster `scope` owns or the plan declares: `selectState` of the whole. */
  select(scope: OwnershipScope, declared: Declared): ClusterState {
    const topics = new Map<string, ActualTopic>();
    const acls = new Map<string, KafkaAclProps>();
    for (const product of scope.products) {
      for (const name of this.topicsBy.get(product) ?? []) if (scope.ownsTopic(name)) topics.set(name, this.topics.get(name)!);
      const principal = scope.principalOf(product);
      const keys = [...(this.aclsBy.get(product) ?? []), ...(principal === undefined ? [] : (this.aclsBy.get(clusterKey(principal)) ?? []))];
      for (const key of [...keys, ...this.adoptedAclKeys(scope.claimsOf(product))]) {
        const acl = this.acls.get(key)!;
        if (scope.ownerOfAcl(acl) !== undefined) acls.set(key, acl);
      }
      for (const t of scope.claimsOf(product).topics ?? []) {
        const topic = this.topics.get(t.name);
        if (topic) topics.set(t.name, topic);
      }
    }
    for (const name of declared.topics) {
      const topic = this.topics.get(name);
      if (topic) topics.set(name, topic);
    }
    for (const key of declared.acls) {
      const acl = this.acls.get(key);
      if (acl) acls.set(key, acl);
    }
    const state: ClusterState = { topics, acls: [...acls.values()], aclKeys: new Set(acls.keys()) };
    if (this.quotas) {
      const users = [...scope.products.flatMap((p) => { const principal = scope.principalOf(p); return principal === undefined ? [] : [quotaUser(principal)]; }), ...(declared.quotaUsers ?? [])];
      state.quotas = new Map(users.flatMap((u) => { const values = this.quotas!.get(u); return values ? [[u, values] as const] : []; }));
    }
    return state;
  }

  /** Keys of the ACLs on a product's adopted names: exact names, and (a scan) names under its prefix claims. */
  private adoptedAclKeys(claims: NameClaims): string[] {
    const keys: string[] = [];
    const exact = [...(claims.topics ?? []).map((t) => t.name), ...(claims.groups ?? []), ...(claims.transactionalIds ?? [])].filter((c) => !isPrefixClaim(c));
    for (const name of exact) keys.push(...(this.aclsByResource.get(name) ?? []));
    const prefixes = [...(claims.groups ?? []), ...(claims.transactionalIds ?? [])].filter(isPrefixClaim).map(claimStem);
    if (prefixes.length > 0) {
      for (const [key, acl] of this.acls) if (prefixes.some((p) => acl.resourceName.startsWith(p))) keys.push(key);
    }
    return keys;
  }

  /** Replaces what `scope` owns (and `declared` names) with `fresh`, a read-back of that part. */
  replace(scope: OwnershipScope, declared: Declared, fresh: ClusterState): void {
    const old = this.select(scope, declared);
    for (const name of old.topics.keys()) {
      this.topics.delete(name);
      for (const c of namespaceCandidates(name)) this.topicsBy.get(c)?.delete(name);
    }
    for (const acl of old.acls) {
      const key = aclKey(acl);
      this.acls.delete(key);
      for (const c of aclCandidates(acl)) this.aclsBy.get(c)?.delete(key);
      this.aclsByResource.get(acl.resourceName)?.delete(key);
    }
    // The fresh read holds the scope's quota users that have values: the others have none now.
    if (this.quotas && fresh.quotas) for (const user of old.quotas?.keys() ?? []) this.quotas.delete(user);
    this.add(fresh);
  }

  private add(state: ClusterState): void {
    if (state.quotas) {
      this.quotas ??= new Map();
      for (const [user, values] of state.quotas) this.quotas.set(user, values);
    }
    for (const [name, topic] of state.topics) {
      this.topics.set(name, topic);
      for (const c of namespaceCandidates(name)) index(this.topicsBy, c, name);
    }
    for (const acl of state.acls) {
      const key = aclKey(acl);
      this.acls.set(key, acl);
      for (const c of aclCandidates(acl)) index(this.aclsBy, c, key);
      index(this.aclsByResource, acl.resourceName, key);
    }
  }
}

function index(by: Map<string, Set<string>>, candidate: string, item: string): void {
  let items = by.get(candidate);
  if (!items) by.set(candidate, (items = new Set()));
  items.add(item);
}

/** A CLUSTER binding belongs to the product whose principal it names; others by their resource name. */
function aclCandidates(acl: KafkaAclProps): string[] {
  return acl.resourceType === 'CLUSTER' ? [clusterKey(acl.principal)] : namespaceCandidates(acl.resourceName);
}

/** Principals and product ids never collide: a NUL cannot appear in a product id. */
const clusterKey = (principal: string) => `\u0000${principal}`;
