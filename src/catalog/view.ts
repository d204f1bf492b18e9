/**
 * What the catalog shows, as plain data: the mesh, resolved for one stack (sizes, datasets,
 * accounts, who may read what), with its lineage and problems. Pure; the pages only render it.
 */
import { compareText } from '../compare';
import type { Diagnostic } from '../vocabulary/diagnostics';
import { NameIndex, shortTopicName } from '../vocabulary/topic-names';
import type { DomainType, Layer, Mesh, Message, QuotaKey, Topic, Visibility } from '../vocabulary/mesh';
import { planDataProduct } from '../plan/crossplane';
import { planTopic, quotaSources } from '../plan/kafka';
import { ANY_PRINCIPAL, productPrincipal } from '../plan/principal';
import { buildStackConfig } from '../stack/settings';
import type { StackConfig } from '../stack/types';
import type { ChannelSchemas } from '../vocabulary/mesh';
import type { TopicMessages } from './messages';

/**
 * How a consumer reaches a topic:
 * public; granted (protected, with a grant); no-grant (protected, without: meshform gives no
 * access); private (owner-only, no access); undeclared (no spec in the mesh declares the topic).
 */
export type Access = 'public' | 'granted' | 'no-grant' | 'private' | 'undeclared';

export interface ConsumptionView {
  consumer: string;
  topic: string;
  /** Owning product, when one in the mesh declares the topic. */
  owner?: string;
  access: Access;
}

export interface GrantView {
  topic: string;
  owner: string;
  grantee: string;
  granteeUrn: string;
  /** The grantee has a spec in this mesh. */
  inMesh: boolean;
  /** The grantee's spec receives from the topic. */
  consumed: boolean;
}

/** A product that may write to another product's input topic (`grant-write:`). */
export interface WriterView {
  topic: string;
  owner: string;
  writer: string;
  writerUrn: string;
  /** The writer has a spec in this mesh. */
  inMesh: boolean;
  /** The writer's spec sends to the topic. */
  sends: boolean;
  /** `file:line` of the tag in the owner's spec. */
  at: string;
}

/** One client quota key as the stack applies it, and where its value comes from. */
export interface QuotaView {
  key: QuotaKey;
  value: number;
  /** `x-meshform`, a spec or mesh-file position, or `stack <name>`; with the stack's factor when it scaled the value. */
  from: string;
}

export interface TopicView {
  name: string;
  /** The part after the visibility segment: `order_placed`. */
  shortName: string;
  owner: string;
  visibility: Visibility;
  /** As the stack provisions them (spec value or stack default, scaled and capped). */
  partitions: number;
  replicas: number;
  config: Record<string, string>;
  description?: string;
  /** `file:line` of the channel in the owner's spec. */
  file: string;
  line: number;
  grants: GrantView[];
  /** Other products that may write to it (an input topic). */
  writers: WriterView[];
  consumers: ConsumptionView[];
  messages: readonly Message[];
  /** Value and key schemas and the compatibility level, as the model reads them (what meshform registers). */
  schemas?: ChannelSchemas;
}

export interface DatasetView {
  layer: Layer;
  datasetId: string;
  location: string;
  /** Members with roles/bigquery.dataViewer (curated layer only). */
  viewers: string[];
}

export interface ProductView {
  id: string;
  urn: string;
  title: string;
  version: string;
  description?: string;
  asyncapiVersion: string;
  file: string;
  businessDomain: string;
  domainType: DomainType;
  owners: string[];
  principal: string;
  topics: TopicView[];
  consumes: ConsumptionView[];
  /** Protected topics of other products opened to this one. */
  grantsReceived: GrantView[];
  /** Input topics of other products this one may write to. */
  writeGrantsReceived: WriterView[];
  /** The product's client quota on this stack (empty: none). */
  quota: QuotaView[];
  datasets: DatasetView[];
  serviceAccount: { accountId: string; email: string };
  /** Diagnostics located in this product's spec file. */
  problems: Diagnostic[];
  /** Its standing against the mesh's governance rules; absent when no rule applies to it. */
  standing?: Standing;
}

/** A product against the rules its mesh file holds it to (built-in and ruleset rules). */
export interface Standing {
  /** The rules that apply (severity warn or error). */
  rules: string[];
  /** Their findings about this product, wherever they are located (its spec, a schema file, the mesh file). */
  findings: Diagnostic[];
  /** Rules with an error finding, and with only warnings. */
  broken: string[];
  warned: string[];
}

export interface DomainView {
  id: string;
  products: ProductView[];
}

/** A topic some spec receives from that no spec in the mesh declares. */
export interface UndeclaredTopicView {
  name: string;
  /** The product whose id prefixes the name, when it is in the mesh. */
  expectedOwner?: string;
  consumers: ConsumptionView[];
}

export interface CatalogView {
  /** Stack name, or undefined when the catalog shows spec values and meshform's defaults. */
  stack?: string;
  /** GCP project of the stack; a placeholder without one. */
  project: string;
  domains: DomainView[];
  /** Sorted by id. */
  products: ProductView[];
  topics: Map<string, TopicView>;
  undeclaredTopics: UndeclaredTopicView[];
  consumptions: ConsumptionView[];
  problems: Diagnostic[];
  /** Product principals in the mesh, and the wildcard that public topics are opened to. */
  principals: Array<{ principal: string; product?: string }>;
}

export interface ViewInput {
  mesh: Mesh;
  stack?: StackConfig;
  diagnostics?: readonly Diagnostic[];
  /** Messages by topic; default: the model's (`Topic.messages`). */
  messages?: TopicMessages;
  /** By product id: the governance rules that apply to it (what `loadMesh` reports). */
  rules?: Readonly<Record<string, readonly string[]>>;
}

export const NO_STACK_PROJECT = '<gcp-project>';

/** Without a stack the catalog shows what the specs say, sized by meshform's defaults. */
export function defaultsStack(): StackConfig {
  // Every key at its default: the stack module's own defaults, so a new setting needs no change here.
  const { stack } = buildStackConfig('catalog', [{ key: 'meshform:gcpProject', value: 'placeholder-project' }], {}, { kind: 'pulumi' });
  if (!stack) throw new Error('the default stack settings do not build');
  return { ...stack, name: '', environment: '', gcp: { ...stack.gcp, project: NO_STACK_PROJECT } };
}

export function buildView(input: ViewInput): CatalogView {
  const { mesh } = input;
  const stack = input.stack ?? defaultsStack();
  const diagnostics = input.diagnostics ?? [];
  const declared = new Map<string, Topic>();
  for (const p of mesh.products) for (const t of p.topics) declared.set(t.name, t);
  const ids = NameIndex.ofMesh(mesh);

  const consumptions: ConsumptionView[] = mesh.products.flatMap((p) =>
    p.consumes.map((c) => {
      const topic = declared.get(c.topic);
      return { consumer: c.consumer, topic: c.topic, ...(topic && { owner: topic.owner }), access: accessOf(topic, c.consumer) };
    }),
  );
  const consumedBy = (topic: string) => consumptions.filter((c) => c.topic === topic);

  const grants: GrantView[] = mesh.products.flatMap((p) =>
    p.topics.flatMap((t) =>
      t.grants.map((g) => ({
        topic: t.name,
        owner: p.id,
        grantee: g.grantee,
        granteeUrn: g.granteeUrn,
        inMesh: ids.has(g.grantee),
        consumed: consumptions.some((c) => c.topic === t.name && c.consumer === g.grantee),
      })),
    ),
  );

  const writers: WriterView[] = mesh.products.flatMap((p) =>
    p.topics.flatMap((t) =>
      (t.writeGrants ?? []).map((g) => ({
        topic: t.name,
        owner: p.id,
        writer: g.grantee,
        writerUrn: g.granteeUrn,
        inMesh: ids.has(g.grantee),
        sends: mesh.products.some((w) => w.id === g.grantee && (w.produces ?? []).some((s) => s.topic === t.name)),
        at: `${g.location.file}:${g.location.line}`,
      })),
    ),
  );

  const topics = new Map<string, TopicView>();
  const products = mesh.products
    .map((product): ProductView => {
      const dataProduct = planDataProduct(product, mesh, stack).properties.spec;
      const productTopics = [...product.topics].sort(byVisibility).map((topic): TopicView => {
        const planned = planTopic(product, topic, stack).properties;
        const view: TopicView = {
          name: topic.name,
          shortName: shortTopicName(topic.name, product.id),
          owner: product.id,
          visibility: topic.visibility,
          partitions: planned.partitions,
          replicas: planned.replicas,
          config: planned.config,
          ...(topic.description !== undefined && { description: topic.description }),
          file: topic.location.file,
          line: topic.location.line,
          grants: grants.filter((g) => g.topic === topic.name),
          writers: writers.filter((w) => w.topic === topic.name),
          consumers: consumedBy(topic.name),
          messages: input.messages?.get(topic.name) ?? topic.messages ?? [],
          ...(topic.schemas && { schemas: topic.schemas }),
        };
        topics.set(topic.name, view);
        return view;
      });
      return {
        id: product.id,
        urn: product.urn,
        title: product.title,
        version: product.version,
        ...(product.description !== undefined && { description: product.description }),
        asyncapiVersion: product.asyncapiVersion,
        file: product.file,
        businessDomain: product.businessDomain,
        domainType: product.domainType,
        owners: [...new Set(product.owners)].sort(compareText),
        principal: productPrincipal(product.id, stack),
        topics: productTopics,
        consumes: consumptions.filter((c) => c.consumer === product.id),
        grantsReceived: grants.filter((g) => g.grantee === product.id),
        writeGrantsReceived: writers.filter((w) => w.writer === product.id),
        quota: quotaSources(product, stack),
        datasets: dataProduct.datasets.map((d) => ({ layer: d.layer, datasetId: d.datasetId, location: dataProduct.location, viewers: d.viewers })),
        serviceAccount: { accountId: dataProduct.serviceAccount.accountId, email: dataProduct.serviceAccount.email },
        problems: diagnostics.filter((d) => d.location?.file === product.file),
        ...(input.rules?.[product.id] && { standing: standingOf(input.rules[product.id], diagnostics.filter((d) => d.rule !== undefined && d.product === product.id)) }),
      };
    })
    .sort((a, b) => compareText(a.id, b.id));

  const domains = new Map<string, ProductView[]>();
  for (const p of products) domains.set(p.businessDomain, [...(domains.get(p.businessDomain) ?? []), p]);

  const undeclared = new Map<string, UndeclaredTopicView>();
  for (const c of consumptions) {
    if (c.access !== 'undeclared') continue;
    const entry = undeclared.get(c.topic) ?? { name: c.topic, ...expectedOwner(c.topic, ids), consumers: [] };
    entry.consumers.push(c);
    undeclared.set(c.topic, entry);
  }

  return {
    ...(input.stack && { stack: input.stack.name }),
    project: stack.gcp.project,
    domains: [...domains.entries()].sort(([a], [b]) => compareText(a, b)).map(([id, list]) => ({ id, products: list })),
    products,
    topics,
    undeclaredTopics: [...undeclared.values()].sort((a, b) => compareText(a.name, b.name)),
    consumptions,
    problems: [...diagnostics],
    principals: [...products.map((p) => ({ principal: p.principal, product: p.id })), { principal: ANY_PRINCIPAL }],
  };
}

function standingOf(rules: readonly string[], findings: Diagnostic[]): Standing {
  const broken = [...new Set(findings.filter((d) => d.severity === 'error').map((d) => d.rule!))].sort(compareText);
  const warned = [...new Set(findings.filter((d) => d.severity === 'warning').map((d) => d.rule!))].filter((r) => !broken.includes(r)).sort(compareText);
  return { rules: [...rules], findings, broken, warned };
}

const VISIBILITY_ORDER: readonly Visibility[] = ['public', 'protected', 'private'];

/** What others may read first: public, protected, then private topics, each by name. */
function byVisibility(a: Topic, b: Topic): number {
  return VISIBILITY_ORDER.indexOf(a.visibility) - VISIBILITY_ORDER.indexOf(b.visibility) || compareText(a.name, b.name);
}

function accessOf(topic: Topic | undefined, consumer: string): Access {
  if (!topic) return 'undeclared';
  switch (topic.visibility) {
    case 'public':
      return 'public';
    case 'private':
      return 'private';
    case 'protected':
      return topic.grants.some((g) => g.grantee === consumer) ? 'granted' : 'no-grant';
  }
}

function expectedOwner(topic: string, ids: NameIndex): { expectedOwner?: string } {
  const owner = ids.claimantOf(topic);
  return owner ? { expectedOwner: owner } : {};
}
