/**
 * The human form of a plan: a summary first (products, resources by kind, what the stack changed
 * in the specs' values), then per product a compact view: topics with their sizes and who
 * produces and consumes them, owner ACLs folded to one line, GCP or Crossplane resources in two.
 * `verbose` lists every resource instead of folding; `kinds` lists the resources of those kinds.
 * Every line fits WIDTH columns.
 */
import { groupBy } from '../collections';
import { compareText } from '../compare';
import { LAYERS, QUOTA_KEYS, type Layer, type Mesh, type Product, type QuotaKey, type Topic } from '../vocabulary/mesh';
import { KIND_ORDER } from '../plan';
import { quotaSizing, topicSizing, type SizedValue, type TopicSizing } from '../plan/kafka';
import { STACK_QUOTA_KEYS } from '../stack/keys';
import { ROLE_DATA_VIEWER } from '../plan/crossplane';
import { subjectName } from '../plan/schemas';
import type { PlannedProduct, Resource, ResourceKind, SchemaSubjectProps } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { list, plural, wrap } from './text';

export interface PlanView {
  /** Every resource, one per line, instead of the folded view. */
  verbose?: boolean;
  /** Only resources of these kinds were selected: list them instead of the folded view. */
  kinds?: readonly ResourceKind[];
  /** How the selection was made (`--product acme.retail`), for the summary; absent when unfiltered. */
  filter?: { description: string; totalProducts: number };
}

/** A product of the plan and how to get its resources (made when asked, once). */
export interface ProductPlan {
  planned: PlannedProduct;
  resources: () => readonly Resource[];
}

/**
 * The plan's text in blocks (the summary, then one per product), given a product at a time, so a
 * plan of thousands of products is written as it is laid out: each product's resources are asked for once,
 * laid out and let go, and the summary comes from running totals, so the whole plan is never held.
 * `accounts`: `serviceAccount:<email>` -> product id for every product's account in the plan (the
 * readers of a dataset are shown by product).
 */
export function productPlanBlocks(
  stackName: string,
  plan: readonly ProductPlan[],
  mesh: Mesh,
  stack: StackConfig,
  view: PlanView,
  accounts: ReadonlyMap<string, string>,
): string[] {
  const products = new Map(mesh.products.map((p) => [p.id, p]));
  const lineage = lineageOf(mesh);
  const totals: PlanTotals = { resources: 0, counts: new Map(), changes: { changed: new Map(), order: [], defaulted: { partitions: 0, replicas: 0 } }, imports: { datasets: 0, accounts: 0, crossplane: false } };
  const blocks = [''];
  for (const { planned, resources: resourcesOf } of plan) {
    const resources = resourcesOf();
    const product = products.get(planned.id);
    // Each topic sized once, for its lines and the summary's count of what the stack changed.
    const sizings = new Map((product?.topics ?? []).map((topic) => [topic, topicSizing(topic, stack)]));
    addTotals(totals, resources, sizings);
    const lines = ['', `${planned.id}  ${planned.file}, ${product?.domainType ?? 'source-aligned'}, ${plural(resources.length, 'resource')}`];
    if (view.kinds || view.verbose) {
      if (!view.kinds) lines.push(...productFacts(planned, product, resources, stack, lineage, sizings));
      lines.push(...resourceList(resources));
    } else {
      lines.push(...productFacts(planned, product, resources, stack, lineage, sizings));
      lines.push(...aclLine(planned.id, resources), ...gcpLines(resources, accounts));
    }
    blocks.push(lines.join('\n'));
  }
  blocks[0] = summary(stackName, plan.map((p) => p.planned), totals, products, stack, view).join('\n');
  return blocks;
}

/** What the summary counts over every resource of the plan. */
interface PlanTotals {
  resources: number;
  counts: Map<ResourceKind, number>;
  /** What the stack changed in the topics of the plan's kafka:Topic resources. */
  changes: StackChangeCounts;
  imports: ImportCounts;
}

/** One product's resources counted; `sizings`: each of the product's topics, sized by the stack. */
function addTotals(totals: PlanTotals, resources: readonly Resource[], sizings: ReadonlyMap<Topic, TopicSizing>): void {
  totals.resources += resources.length;
  const topics = new Set<string>();
  // A product's resources come a kind at a time: counted by runs of one kind.
  let run = 0;
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (r.kind === 'kafka:Topic') topics.add(r.properties.topic);
    run++;
    if (i === resources.length - 1 || resources[i + 1].kind !== r.kind) {
      totals.counts.set(r.kind, (totals.counts.get(r.kind) ?? 0) + run);
      run = 0;
    }
  }
  for (const [topic, sizing] of sizings) if (topics.has(topic.name)) countStackChanges(totals.changes, sizing);
  countImports(totals.imports, resources);
}

function summary(stackName: string, plannedProducts: readonly PlannedProduct[], totals: PlanTotals, products: ReadonlyMap<string, Product>, stack: StackConfig, view: PlanView): string[] {
  const domains = groupBy(plannedProducts, (p) => p.businessDomain);
  const mode = !stack.crossplane.enabled
    ? `GCP mode, project ${stack.gcp.project}`
    : `Crossplane mode${stack.crossplane.delivery === 'gitops' ? ' by GitOps (meshform crossplane render)' : ''}, namespace ${stack.crossplane.namespace}`;
  const lines = [
    `Plan for stack '${stackName}' (${mode}): ${plural(plannedProducts.length, 'product')} ` +
      `in ${plural(domains.size, 'business domain')}, ${plural(totals.resources, 'resource')}`,
  ];
  if (view.filter) lines.push(...wrap(`  selected: ${plannedProducts.length} of ${plural(view.filter.totalProducts, 'product')} by ${view.filter.description}`, '    '));

  for (const kind of KIND_ORDER) {
    const n = totals.counts.get(kind);
    if (n) lines.push(`  ${kind.padEnd(32)}${String(n).padStart(6)}`);
  }
  const imports = importText(totals.imports);
  if (imports) lines.push(`  ${imports}`);

  const selected = plannedProducts.map((p) => products.get(p.id)).filter((p): p is Product => p !== undefined);
  lines.push(...list(`Stack '${stack.name}' changes spec values: `, stackChangeText(totals.changes, stack), { indent: '  ', separator: ';' }));
  const consumptions = selected.reduce((n, p) => n + p.consumes.length, 0);
  const grants = selected.reduce((n, p) => n + p.topics.reduce((m, t) => m + t.grants.length, 0), 0);
  lines.push(`Lineage: ${plural(consumptions, 'consumption')} of other products' topics, ${plural(grants, 'grant')} of protected topics`);
  lines.push(...list('Business domains: ', [...domains].map(([domain, ps]) => `${domain} (${ps.length})`), { maxLines: 3 }));
  if (plannedProducts.length > 0) {
    lines.push(
      view.kinds || view.verbose
        ? 'Per product below: every resource.'
        : 'Per product below; --product <id|prefix> picks products, --kind <kind> lists resources, --verbose lists all.',
    );
  }
  return lines;
}

/** The GCP resources the first `pulumi up` imports (or, in Crossplane mode, the DataProducts mark adopted), counted. */
interface ImportCounts {
  datasets: number;
  accounts: number;
  crossplane: boolean;
}

function countImports(counts: ImportCounts, resources: readonly Resource[]): void {
  for (const r of resources) {
    if (r.kind === 'gcp:bigquery:Dataset' && r.import) counts.datasets++;
    else if (r.kind === 'gcp:serviceaccount:Account' && r.import) counts.accounts++;
    else if (r.kind === 'crossplane:DataProduct') {
      counts.crossplane = true;
      counts.datasets += r.properties.spec.datasets.filter((d) => d.adopted).length;
      if (r.properties.spec.serviceAccount.adopted) counts.accounts++;
    }
  }
}

/**
 * `import (they exist): 2 datasets, 1 service account`: the GCP resources the first `pulumi up`
 * imports instead of creating (`gcp.adopt`); in Crossplane mode those the DataProducts mark adopted,
 * which Crossplane observes and takes over. Empty when there are none.
 */
function importText({ datasets, accounts, crossplane }: ImportCounts): string {
  if (datasets + accounts === 0) return '';
  const what = [datasets ? plural(datasets, 'dataset') : '', accounts ? plural(accounts, 'service account') : ''].filter(Boolean).join(', ');
  return crossplane ? `adopted (they exist; Crossplane takes them over): ${what}` : `import (they exist; the first pulumi up imports them): ${what}`;
}

/** How many planned topics the stack changed, by value (`partitions`) and stack setting (`partitionFactor 0.25`), in the order first met. */
interface StackChangeCounts {
  changed: Map<string, Map<string, { count: number }>>;
  order: Array<{ what: string; why: string; count: number }>;
  defaulted: { partitions: number; replicas: number };
}

function countStackChanges({ changed, order, defaulted }: StackChangeCounts, sizing: TopicSizing): void {
  const count = (what: string, sized: SizedValue<unknown>) => {
    for (const why of sized.because) {
      let byWhy = changed.get(what);
      if (!byWhy) changed.set(what, (byWhy = new Map()));
      const counted = byWhy.get(why);
      if (counted) counted.count++;
      else {
        const first = { what, why, count: 1 };
        byWhy.set(why, first);
        order.push(first);
      }
    }
  };
  count('partitions', sizing.partitions);
  count('replicas', sizing.replicas);
  for (const what of Object.keys(sizing.config)) count(what, sizing.config[what]);
  if (sizing.partitions.defaulted) defaulted.partitions++;
  if (sizing.replicas.defaulted) defaulted.replicas++;
}

/** `partitions of 22 topics (partitionFactor 0.25)`, ..., or `none`. */
function stackChangeText({ order, defaulted }: StackChangeCounts, stack: StackConfig): string[] {
  const parts = order.map(({ what, why, count }) => `${what} of ${plural(count, 'topic')} (${why})`);
  const defaults = [
    defaulted.partitions ? `${plural(defaulted.partitions, 'topic')} without partitions: defaultPartitions ${stack.kafka.defaultPartitions}` : '',
    defaulted.replicas ? `${plural(defaulted.replicas, 'topic')} without replicas: defaultReplicas ${stack.kafka.defaultReplicas}` : '',
  ].filter(Boolean);
  return [...(parts.length ? parts : ['none']), ...defaults];
}

interface Lineage {
  /** Topic name -> products that receive from it (the owner included when it reads its own topic). */
  consumers: Map<string, string[]>;
}

function lineageOf(mesh: Mesh): Lineage {
  const consumers = new Map<string, string[]>();
  for (const product of mesh.products) {
    for (const c of product.consumes) consumers.set(c.topic, [...(consumers.get(c.topic) ?? []), product.id]);
  }
  return { consumers };
}

/** Owners, topics (size, config, access, producer and consumers) and what the product consumes. */
function productFacts(planned: PlannedProduct, product: Product | undefined, resources: readonly Resource[], stack: StackConfig, lineage: Lineage, sizings: ReadonlyMap<Topic, TopicSizing>): string[] {
  const lines = list('  owners ', planned.owners);
  const subjects: SchemaSubjectProps[] = [];
  for (const r of resources) if (r.kind === 'schema:Subject') subjects.push(r.properties);
  for (const topic of product?.topics ?? []) {
    const value = subjectName(topic.name, 'value');
    const key = subjectName(topic.name, 'key');
    const schemas = subjects.length ? subjects.filter((s) => s.subject === value || s.subject === key) : subjects;
    for (const line of topicLines(planned.id, topic, sizings.get(topic) ?? topicSizing(topic, stack), stack, lineage, schemas)) lines.push(line);
  }
  if (product && product.consumes.length > 0) {
    lines.push(...list('  consumes ', product.consumes.map((c) => (c.owner ? c.topic : `${c.topic} (not declared in the mesh)`))));
  }
  if (planned.produces.length > 0) lines.push(...list('  produces to ', planned.produces.map((t) => `${t} (input topic)`)));
  if (product) {
    const sizing = quotaSizing(product, stack);
    const quotas = QUOTA_KEYS.flatMap((key) => (sizing[key] ? [quotaText(key, sizing[key], stack)] : []));
    if (quotas.length > 0) lines.push(...list('  kafka quotas ', quotas));
  }
  return lines;
}

function topicLines(owner: string, topic: Topic, sizing: TopicSizing, stack: StackConfig, lineage: Lineage, schemas: readonly SchemaSubjectProps[]): string[] {
  const config = Object.keys(topic.config)
    .sort(compareText)
    .map((key) => (sizing.config[key] ? sized(key, sizing.config[key], stack) : `${key}=${topic.config[key]}`));
  // `value schema AVRO BACKWARD`: the subjects registered for the topic (TopicNameStrategy).
  const registered = schemas.map((s) => `${s.subject.endsWith('-key') ? 'key' : 'value'} schema ${s.schemaType} ${s.compatibility}`);
  const facts = [sized('partitions', sizing.partitions, stack), sized('replicas', sizing.replicas, stack), ...config, ...registered];
  const relative = topic.name.startsWith(`${owner}.`) ? topic.name.slice(owner.length + 1) : topic.name;
  const lines = list(`  topic ${relative}  `, facts, { indent: '      ' });

  const access =
    topic.visibility === 'public'
      ? 'public'
      : topic.visibility === 'protected'
        ? `protected, granted to ${topic.grants.map((g) => g.grantee).sort(compareText).join(', ') || 'no product'}`
        : 'private';
  const consumers = (lineage.consumers.get(topic.name) ?? []).filter((c) => c !== owner);
  if (topic.receives) consumers.unshift('the owner');
  const writers = (topic.writeGrants ?? []).map((g) => g.grantee).sort(compareText);
  const owner_ = topic.sends === false ? 'no producer declared' : 'produced by the owner';
  const producer = writers.length ? `${owner_}; writable by ${writers.join(', ')} (grant-write)` : owner_;
  const consumed = consumers.length ? `consumed by ${consumers.join(', ')}` : 'no consumer in the mesh';
  lines.push(...wrap(`    ${access}; ${producer}; ${consumed}`, '      '));
  return lines;
}

/** `producer_byte_rate 1048576 -> 262144 (dev quotaFactor 0.25)`, `request_percentage 50 (dev quotaRequestPercentage)`. */
function quotaText(key: QuotaKey, value: SizedValue<number>, stack: StackConfig): string {
  const why = [...(value.defaulted ? [STACK_QUOTA_KEYS[key]] : []), ...value.because];
  const shown = value.because.length ? `${value.from} -> ${value.value}` : `${value.value}`;
  return `${key} ${shown}${why.length ? ` (${stack.name} ${why.join(', ')})` : ''}`;
}

/** `partitions 12 -> 3 (dev partitionFactor 0.25)`, `replicas 3 (dev defaultReplicas)`, `partitions 6`. */
function sized(what: string, value: SizedValue<unknown>, stack: StackConfig): string {
  const because = value.because.join(', ');
  const why = value.defaulted ? `default${what === 'partitions' ? 'Partitions' : 'Replicas'}${because && `, ${because}`}` : because;
  const shown = value.because.length ? `${value.from} -> ${value.value}` : `${value.value}`;
  const separator = what.includes('.') && !why ? '=' : ' ';
  return `${what}${separator}${shown}${why ? ` (${stack.name} ${why})` : ''}`;
}

/** Owner ACLs folded into one line; reader ACLs are the topics' access above; DENYs for nested products. */
function aclLine(product: string, resources: readonly Resource[]): string[] {
  let acls = 0;
  let owner = 0;
  let readers = 0;
  let denies = 0;
  const dotted = `${product}.`;
  // `acme.user.` (its topics' visibility prefixes included) and `acme.user-` (groups, transactional ids).
  const prefixes = new Set<string>();
  const denied = new Set<string>();
  for (const r of resources) {
    if (r.kind !== 'kafka:Acl') continue;
    acls++;
    const { patternType, permission, resourceName, principal } = r.properties;
    if (permission === 'DENY') {
      denies++;
      denied.add(principal);
    } else if (patternType === 'PREFIXED') {
      owner++;
      prefixes.add(resourceName.startsWith(dotted) ? dotted : resourceName);
    } else if (patternType === 'LITERAL') readers++;
  }
  if (acls === 0) return [];
  // The dotted prefix (topics, groups) first, then the others (`acme.user-` groups) in text order.
  const ownerPrefixes = [...prefixes].sort((a, b) => Number(b === dotted) - Number(a === dotted) || compareText(a, b));
  const parts = [
    owner ? `${owner} owner PREFIXED ${ownerPrefixes.join(' and ')}` : '',
    readers ? `${readers} reader LITERAL` : '',
    denies ? `${denies} DENY for ${[...denied].join(', ')} (parent products)` : '',
  ].filter(Boolean);
  return list('  kafka ACLs ', [...parts, '--verbose lists all'], { indent: '    ', separator: ';' });
}

/** The product's GCP resources (or its DataProduct, which carries the same) in two or three lines. */
function gcpLines(resources: readonly Resource[], accounts: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  const reader = (member: string) => accounts.get(member) ?? member;
  const owners = resources.filter((m) => m.kind === 'gcp:serviceaccount:IAMMember').length;
  const account = (id: string, owners: number) => `  service account ${id}: writes the datasets; ${plural(owners, 'owner')} may impersonate it`;
  for (const r of resources) {
    if (r.kind === 'gcp:serviceaccount:Account') {
      lines.push(account(`${r.properties.accountId}${r.import ? ' (import)' : ''}`, owners));
    } else if (r.kind === 'crossplane:DataProduct') {
      const { spec } = r.properties;
      lines.push(`  crossplane DataProduct ${r.properties.metadata.namespace}/${r.properties.metadata.name}, which holds:`);
      lines.push(account(`${spec.serviceAccount.accountId}${spec.serviceAccount.adopted ? ' (adopted)' : ''}`, spec.owners.length));
      lines.push(...datasetLines(spec.datasets.map((d) => ({ id: d.datasetId, shown: `${d.datasetId}${d.adopted ? ' (adopted)' : ''}`, viewers: d.viewers })), spec.location, reader));
    }
  }
  const datasets = resources
    .filter((r) => r.kind === 'gcp:bigquery:Dataset')
    .sort((a, b) => LAYERS.indexOf(a.properties.labels.layer as Layer) - LAYERS.indexOf(b.properties.labels.layer as Layer));
  if (datasets.length > 0) {
    // Each dataset's viewers, in the plan's order.
    const viewersOf = new Map<string, string[]>();
    for (const m of resources) {
      if (m.kind !== 'gcp:bigquery:DatasetIamMember' || m.properties.role !== ROLE_DATA_VIEWER) continue;
      const of = viewersOf.get(m.properties.datasetId);
      if (of) of.push(m.properties.member);
      else viewersOf.set(m.properties.datasetId, [m.properties.member]);
    }
    const viewers = (id: string) => viewersOf.get(id) ?? [];
    lines.push(...datasetLines(datasets.map((d) => ({ id: d.properties.datasetId, shown: `${d.properties.datasetId}${d.import ? ' (import)' : ''}`, viewers: viewers(d.properties.datasetId) })), datasets[0].properties.location, reader));
  }
  return lines;
}

/** `  datasets (EU) a_raw, a_curated` and, per dataset with readers, `    a_curated readable by ...`. */
function datasetLines(datasets: Array<{ id: string; shown: string; viewers: string[] }>, location: string, reader: (member: string) => string): string[] {
  const lines = list(`  datasets (${location}) `, datasets.map((d) => d.shown));
  for (const d of datasets) {
    if (d.viewers.length) lines.push(...list(`    ${d.id} readable by `, d.viewers.map(reader)));
  }
  return lines;
}

/** Every resource, grouped by kind, one (wrapped) line each. */
function resourceList(resources: readonly Resource[]): string[] {
  const lines: string[] = [];
  for (const [kind, ofKind] of groupBy(resources, (r) => r.kind)) {
    lines.push(`  ${kind} (${ofKind.length})`);
    for (const r of ofKind) lines.push(...wrap(`    ${describe(r)}`, '        '));
  }
  return lines;
}

/** One resource in words. Exhaustive: a new resource kind must say how it is shown. */
export function describe(r: Resource): string {
  switch (r.kind) {
    case 'kafka:Topic': {
      const p = r.properties;
      const config = Object.entries(p.config).map(([k, v]) => `${k}=${v}`);
      return [p.topic, `partitions=${p.partitions}`, `replicas=${p.replicas}`, ...config].join(' ');
    }
    case 'kafka:Acl': {
      const p = r.properties;
      return `${p.permission} ${p.principal} ${p.operation} ${p.resourceType} ${p.patternType} ${p.resourceName}${p.host === '*' ? '' : ` host ${p.host}`}`;
    }
    case 'kafka:Quota': {
      const q = r.properties;
      return `${q.principal} (user ${q.entity.user}) ${Object.entries(q.quotas).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'schema:Subject':
      return `${r.properties.subject} ${r.properties.schemaType} compatibility ${r.properties.compatibility}`;
    case 'gcp:bigquery:Dataset':
      return `${r.properties.project}.${r.properties.datasetId} (${r.properties.location})${r.import ? `; import ${r.import}` : ''}`;
    case 'gcp:serviceaccount:Account':
      return `${r.properties.accountId} in ${r.properties.project}${r.import ? `; import ${r.import}` : ''}`;
    case 'gcp:bigquery:DatasetIamMember':
      return `${r.properties.role} on ${r.properties.datasetId} for ${r.properties.member}`;
    case 'gcp:serviceaccount:IAMMember':
      return `${r.properties.role} on ${r.properties.serviceAccountId.replace(/^projects\/[^/]+\/serviceAccounts\//, '')} for ${r.properties.member}`;
    case 'crossplane:DataProduct':
      return `${r.properties.apiVersion} ${r.properties.kind} ${r.properties.metadata.namespace}/${r.properties.metadata.name}`;
  }
}
