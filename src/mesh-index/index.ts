/**
 * The mesh index (`mesh.json`): what a product repository needs to know about the rest of the
 * mesh, which it does not hold: every product, its topics with their visibility, grants, consumers
 * and schema subjects, and what it consumes. `meshform catalog` writes it next to the site and
 * `meshform export mesh-index` alone; `meshform breaking --mesh` reads it, so removing a topic that
 * products in other repositories read is breaking there too, with their names.
 */
import { compareText } from '../compare';
import type { SourceLocation } from '../vocabulary/diagnostics';
import type { Consumption, Mesh, Product, Topic, Visibility } from '../vocabulary/mesh';
import { subjectName } from '../plan/schemas';
import type { SchemaType } from '../schemas/types';

export const MESH_INDEX = 'meshform.mesh-index/v1';

export interface IndexedTopic {
  name: string;
  visibility: Visibility;
  /** Products granted read access (protected topics). */
  grants: string[];
  /** Products whose specs receive from it (the owner left out). */
  consumers: string[];
  /** Registry subjects (TopicNameStrategy) and their formats. */
  schemas: { value?: { subject: string; type: SchemaType }; key?: { subject: string; type: SchemaType } };
}

export interface IndexedProduct {
  id: string;
  urn: string;
  title: string;
  owners: string[];
  /** The spec file, as the mesh repository names it. */
  file: string;
  topics: IndexedTopic[];
  /** Topics of other products it receives from. */
  consumes: string[];
}

export interface MeshIndex {
  meshIndex: typeof MESH_INDEX;
  products: IndexedProduct[];
}

export function meshIndex(mesh: Mesh): MeshIndex {
  const consumers = new Map<string, Set<string>>();
  for (const p of mesh.products) {
    for (const c of p.consumes) if (c.consumer !== c.owner) consumers.set(c.topic, (consumers.get(c.topic) ?? new Set()).add(c.consumer));
  }
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort(compareText);
  return {
    meshIndex: MESH_INDEX,
    products: [...mesh.products].sort((a, b) => compareText(a.id, b.id)).map((p) => ({
      id: p.id,
      urn: p.urn,
      title: p.title,
      owners: p.owners,
      file: p.file,
      topics: [...p.topics].sort((a, b) => compareText(a.name, b.name)).map((t) => {
        const schemas: IndexedTopic['schemas'] = {};
        for (const role of ['value', 'key'] as const) {
          const fact = t.schemas?.[role];
          if (fact) schemas[role] = { subject: subjectName(t.name, role), type: fact.type };
        }
        return { name: t.name, visibility: t.visibility, grants: sorted(t.grants.map((g) => g.grantee)), consumers: sorted(consumers.get(t.name) ?? []), schemas };
      }),
      consumes: sorted(p.consumes.filter((c) => c.consumer !== c.owner).map((c) => c.topic)),
    })),
  };
}

/** The index read back, or why it is not one (a file of another kind, a hand-edited one). */
export function parseMeshIndex(text: string, source: string): MeshIndex | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `${source} is not JSON (${(e as Error).message}); expected the mesh.json that meshform catalog or meshform export mesh-index writes`;
  }
  const index = value as Partial<MeshIndex> | null;
  if (typeof index !== 'object' || index === null || index.meshIndex !== MESH_INDEX) {
    return `${source} is not a mesh index (no "meshIndex": "${MESH_INDEX}"); expected the mesh.json that meshform catalog or meshform export mesh-index writes`;
  }
  const problem = (index.products as unknown[] | undefined)?.findIndex((p) => !isProduct(p));
  if (!Array.isArray(index.products) || (problem !== undefined && problem >= 0)) return `${source}: products[${problem ?? ''}] is not a product of a mesh index`;
  return index as MeshIndex;
}

function isProduct(value: unknown): value is IndexedProduct {
  const p = value as Partial<IndexedProduct> | null;
  return (
    typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.urn === 'string' && Array.isArray(p.topics) && Array.isArray(p.consumes) &&
    p.topics.every((t) => typeof t?.name === 'string' && ['public', 'protected', 'private'].includes(t.visibility) && Array.isArray(t.grants) && Array.isArray(t.consumers))
  );
}

/**
 * The index's products that are not in `local` (the repository's own products, then and now), as
 * mesh products: topics with their visibility and grants, and their consumption. The repository's
 * own specs always win over the index, which may be older.
 */
export function outsideProducts(index: MeshIndex, local: ReadonlySet<string>, source: string): Product[] {
  const location: SourceLocation = { file: source, line: 1, col: 1 };
  const owners = new Map(index.products.flatMap((p) => p.topics.map((t) => [t.name, p.id] as const)));
  return index.products
    .filter((p) => !local.has(p.id))
    .map((p) => ({
      urn: p.urn,
      id: p.id,
      businessDomain: p.id.split('.').slice(0, -1).join('.'),
      title: p.title,
      version: '',
      asyncapiVersion: '',
      file: source,
      owners: p.owners ?? [],
      domainType: 'source-aligned',
      storage: { bigquery: { layers: [] } },
      kafkaStreams: false,
      dialect: 'asyncapi',
      settingsFrom: {} as Product['settingsFrom'],
      topics: p.topics.map((t): Topic => ({
        name: t.name,
        owner: p.id,
        visibility: t.visibility,
        config: {},
        grants: t.grants.map((g) => ({ grantee: g, granteeUrn: g, location })),
        location,
      })),
      consumes: p.consumes.map((topic): Consumption => ({ consumer: p.id, topic, ...(owners.has(topic) && { owner: owners.get(topic) }), location })),
      location,
    }));
}
