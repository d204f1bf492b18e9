/**
 * Ownership: which existing topics and ACLs an apply may touch.
 *
 * Only the products in the given specs are in scope. A name belongs to the in-scope product that
 * adopted it, or whose namespace holds it (`NameIndex.ownerOfResource` in vocabulary/topic-names.ts,
 * where the plan's ACL patterns come from too): `p.` or `p-` itself, or a name starting with `p._`,
 * so `acme.user` never claims `acme.userprops.*` nor a nested product's `acme.user.profile._public.*`.
 * An ACL belongs to the product that owns its resource pattern (a PREFIXED pattern only when every
 * name it covers is that product's; on an adopted name only in a form the plan gives there, so an
 * estate's DENY, host-bound or ALL/ALTER ACLs stay); a CLUSTER ACL belongs to the product whose template principal
 * it names (an adopted principal's cluster rights are the estate's: meshform plans none, and leaves
 * them). An ACL that names one of our principals on another product's topic is that product's
 * grant, so it is left alone.
 */
import { plannedOnAdopted, quotaUser } from '../../../plan/kafka';
import { principalFromTemplate } from '../../../plan/principal';
import type { KafkaAclProps, PlannedProduct } from '../../../plan/types';
import { NameIndex, claimsOf, type NameClaims } from '../../../vocabulary/topic-names';

export class OwnershipScope {
  private readonly names: NameIndex;
  private readonly productByPrincipal: Map<string, string>;
  private readonly principalByProduct: ReadonlyMap<string, string>;

  /**
   * @param principals product -> the principal whose CLUSTER ACLs are the product's
   * @param claims product -> the names it adopted (see `NameIndex`)
   */
  constructor(productIds: Iterable<string>, principals: ReadonlyMap<string, string> = new Map(), claims: ReadonlyMap<string, NameClaims> = new Map()) {
    this.names = new NameIndex(productIds, claims);
    this.principalByProduct = principals;
    this.productByPrincipal = new Map([...principals].map(([product, principal]) => [principal, product]));
  }

  /** Exactly these products, each with its principal from the stack's `principalTemplate`. */
  static ofProducts(productIds: Iterable<string>, principalTemplate: string): OwnershipScope {
    const ids = [...productIds];
    return new OwnershipScope(ids, new Map(ids.map((id) => [id, principalFromTemplate(principalTemplate, id)])));
  }

  /**
   * The plan's products with what they adopted: a product with adopted principals has no template
   * principal, so no CLUSTER ACL is its.
   */
  static ofPlan(products: readonly Pick<PlannedProduct, 'id' | 'adopted'>[], principalTemplate: string): OwnershipScope {
    const principals = new Map<string, string>();
    const claims = new Map<string, NameClaims>();
    for (const p of products) {
      if (p.adopted) claims.set(p.id, claimsOf(p.adopted));
      if (!p.adopted?.principals.length) principals.set(p.id, principalFromTemplate(principalTemplate, p.id));
    }
    return new OwnershipScope(products.map((p) => p.id), principals, claims);
  }

  get products(): readonly string[] {
    return this.names.products;
  }

  /** The names a product in scope adopted (empty when none). */
  claimsOf(product: string): NameClaims {
    return this.names.claimsOf(product);
  }

  /**
   * The product in scope that owns a topic (or, given its pattern, an ACL's topic, group or
   * transactional-id resource name), if any (a nested product wins over its parent); the cost does
   * not grow with the number of products.
   */
  ownerOfName(name: string, pattern?: Pick<KafkaAclProps, 'resourceType' | 'patternType'>): string | undefined {
    return this.names.ownerOfResource(name, pattern);
  }

  /** The principal the scope was given for a product, if any. */
  principalOf(product: string): string | undefined {
    return this.principalByProduct.get(product);
  }

  productOfPrincipal(principal: string): string | undefined {
    return this.productByPrincipal.get(principal);
  }

  /**
   * The product in scope whose principal a client-quota `user` entity names (`acme.a` for
   * `User:acme.a`): only those quotas are the scope's to change or remove. An adopted principal's
   * quota is the estate's: the plan may set one on it (declared), but one it does not plan stays.
   */
  productOfQuotaUser(user: string): string | undefined {
    if (!this.productByQuotaUser) this.productByQuotaUser = new Map([...this.principalByProduct].map(([product, principal]) => [quotaUser(principal), product]));
    return this.productByQuotaUser.get(user);
  }

  private productByQuotaUser?: Map<string, string>;

  ownsTopic(name: string): boolean {
    return this.ownerOfName(name) !== undefined;
  }

  /** Whether a topic's data exists nowhere else (a `_private` name, or an adopted private topic). */
  isPrivate(topic: string): boolean {
    return this.names.isPrivate(topic);
  }

  /**
   * The product in scope that owns an ACL binding, if any. On an adopted name, only the forms the
   * plan gives there are its (`plannedOnAdopted`): the estate's others stay as they are.
   */
  ownerOfAcl(acl: KafkaAclProps): string | undefined {
    if (acl.resourceType === 'CLUSTER') return this.productOfPrincipal(acl.principal);
    const adopted = this.names.adoptedOwnerOfResource(acl.resourceName, acl);
    if (adopted !== undefined) return plannedOnAdopted(acl) ? adopted : undefined;
    return this.ownerOfName(acl.resourceName, acl);
  }
}
