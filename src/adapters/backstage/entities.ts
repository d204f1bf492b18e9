/**
 * The mesh as Backstage catalog entities (backstage.io/v1alpha1):
 * - a Domain per business domain,
 * - per product a System (the data product), a Component in it (its pipelines) that provides the
 *   product's API and consumes the APIs of the products it reads (`consumesApis`, `dependsOn`),
 *   and an API of type `asyncapi` whose definition is the spec as written,
 * - a Group per `group:` owner and a User per `user:` owner.
 * Pure: spec texts come in, entities go out; names come from the one naming module.
 */
import { compareText } from '../../compare';
import type { Mesh, Product } from '../../vocabulary/mesh';
import { backstageName } from '../../names';

export const API_VERSION = 'backstage.io/v1alpha1';

export interface Entity {
  apiVersion: typeof API_VERSION;
  kind: 'Domain' | 'System' | 'Component' | 'API' | 'Group' | 'User';
  metadata: {
    name: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
    tags?: string[];
  };
  spec: Record<string, unknown>;
}

export const ANNOTATIONS = {
  product: 'meshform.io/product-id',
  urn: 'meshform.io/urn',
  specFile: 'meshform.io/spec-file',
  owners: 'meshform.io/owners',
  email: 'meshform.io/email',
} as const;

/** Named owners (`user:`/`group:` IAM members) -> entity refs; others (service accounts, domains) have no Backstage kind. */
class People {
  private readonly names = new Map<string, string>();

  constructor(members: readonly string[]) {
    // The e-mail's local part when it is unique among members of its kind, else the whole address.
    const byKind = new Map<string, string[]>();
    for (const m of [...new Set(members)].filter(isPerson).sort(compareText)) byKind.set(kindOf(m), [...(byKind.get(kindOf(m)) ?? []), m]);
    for (const list of byKind.values()) {
      const local = (m: string) => entityName(emailOf(m).split('@')[0]);
      for (const m of list) {
        const clash = list.some((other) => other !== m && local(other) === local(m));
        this.names.set(m, clash ? entityName(emailOf(m)) : local(m));
      }
    }
  }

  ref(member: string): string | undefined {
    const name = this.names.get(member);
    return name && `${kindOf(member)}:${name}`;
  }

  entities(): Entity[] {
    return [...this.names.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([member, name]): Entity => {
        const email = emailOf(member);
        return kindOf(member) === 'group'
          ? { apiVersion: API_VERSION, kind: 'Group', metadata: { name, annotations: { [ANNOTATIONS.email]: email } }, spec: { type: 'team', profile: { email }, children: [] } }
          : { apiVersion: API_VERSION, kind: 'User', metadata: { name, annotations: { [ANNOTATIONS.email]: email } }, spec: { profile: { email }, memberOf: [] } };
      });
  }
}

const isPerson = (member: string) => /^(user|group):[^@\s]+@[^@\s]+$/.test(member);
const kindOf = (member: string) => member.slice(0, member.indexOf(':'));
const emailOf = (member: string) => member.slice(member.indexOf(':') + 1);

/** An e-mail address or its local part as an entity name (`orders-team@acme.com` -> `orders-team-acme.com`). */
function entityName(text: string): string {
  return backstageName(text.toLowerCase().replace(/@/g, '-'));
}

/** `group:x` first (a team outlives a person), then `user:`; undefined without either. */
function ownerRef(product: Product, people: People): string | undefined {
  const owners = [...product.owners].sort((a, b) => Number(kindOf(b) === 'group') - Number(kindOf(a) === 'group') || compareText(a, b));
  for (const o of owners) {
    const ref = people.ref(o);
    if (ref) return ref;
  }
  return undefined;
}

export interface BackstageInput {
  mesh: Mesh;
  /** Spec file (as in Product.file) -> its text, carried as the API definition. */
  specTexts: ReadonlyMap<string, string>;
}

export function backstageEntities({ mesh, specTexts }: BackstageInput): Entity[] {
  const people = new People(mesh.products.flatMap((p) => p.owners));
  const products = [...mesh.products].sort((a, b) => compareText(a.id, b.id));
  const byId = new Map(products.map((p) => [p.id, p]));
  const unowned: Entity[] = [];
  const owner = new Map<string, string>();
  for (const p of products) {
    let ref = ownerRef(p, people);
    if (!ref) {
      // Only service accounts or domains own it: a group named for the product stands in, listing them.
      const name = entityName(`${p.id}.owners`);
      unowned.push({
        apiVersion: API_VERSION,
        kind: 'Group',
        metadata: { name, description: `Owners of ${p.id}: ${p.owners.join(', ')}` },
        spec: { type: 'data-product-owners', children: [] },
      });
      ref = `group:${name}`;
    }
    owner.set(p.id, ref);
  }

  const domains = [...new Set(products.map((p) => p.businessDomain))].sort(compareText).map((domain): Entity => {
    const members = products.filter((p) => p.businessDomain === domain);
    return {
      apiVersion: API_VERSION,
      kind: 'Domain',
      metadata: { name: backstageName(domain), title: domain, description: `Business domain ${domain}: ${members.map((p) => p.title).join(', ')}` },
      spec: { owner: mostCommon(members.map((p) => owner.get(p.id)!)) },
    };
  });

  const productEntities = products.flatMap((p): Entity[] => {
    const name = backstageName(p.id);
    const annotations = { [ANNOTATIONS.product]: p.id, [ANNOTATIONS.urn]: p.urn, [ANNOTATIONS.specFile]: p.file, [ANNOTATIONS.owners]: p.owners.join(',') };
    const description = p.description ?? p.title;
    const tags = ['data-product', p.domainType];
    const lifecycle = /^0\./.test(p.version) ? 'experimental' : 'production';
    const upstream = [...new Set(p.consumes.map((c) => c.owner).filter((o): o is string => o !== undefined && o !== p.id && byId.has(o)))].sort(compareText);
    return [
      {
        apiVersion: API_VERSION,
        kind: 'System',
        metadata: { name, title: p.title, description, annotations, tags },
        spec: { owner: owner.get(p.id), domain: backstageName(p.businessDomain), type: 'data-product' },
      },
      {
        apiVersion: API_VERSION,
        kind: 'Component',
        metadata: { name, title: p.title, description: `The pipelines of ${p.title}.`, annotations, tags },
        spec: {
          type: 'data-product',
          lifecycle,
          owner: owner.get(p.id),
          system: name,
          providesApis: [name],
          ...(upstream.length > 0 && {
            consumesApis: upstream.map((u) => `api:${backstageName(u)}`),
            dependsOn: upstream.map((u) => `component:${backstageName(u)}`),
          }),
        },
      },
      {
        apiVersion: API_VERSION,
        kind: 'API',
        metadata: { name, title: `${p.title} events`, description, annotations, tags },
        spec: { type: 'asyncapi', lifecycle, owner: owner.get(p.id), system: name, definition: specTexts.get(p.file) ?? '' },
      },
    ];
  });

  return [...domains, ...people.entities(), ...unowned, ...productEntities];
}

/** The most frequent value; ties go to the first in text order. */
function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || compareText(a, b))[0][0];
}
