/** One product: what it publishes and reads, who may read it, its storage and account, how to get access. */
import type { VNode } from 'preact';
import { formatDiagnostic } from '../../vocabulary/diagnostics';
import { formatBytes, formatCount } from '../../numbers';
import type { GroupConsumption } from '../../adapters/kafka/reports/types';
import { pagePath, topicAnchor } from '../paths';
import type { Access, ProductView, TopicView } from '../view';
import { GraphLegend, LineageGraph } from './graph';
import { Link, ProductLink, VisibilityBadge, plural, usePage } from './layout';
import { schemaTypeOf } from '../../schemas';
import type { Message } from '../../vocabulary/mesh';
import { renderSchema, type ShownSchema } from './schema';
import { DataTable } from './table';

export function ProductPage(props: { product: ProductView }): VNode {
  const { site } = usePage();
  const p = props.product;
  const graph = site.neighbours.get(p.id);
  const sections: Array<[string, string]> = [
    ['lineage', 'Lineage'],
    ['topics', `Topics (${p.topics.length})`],
    ['reads', `Reads (${p.consumes.length})`],
    ['grants', 'Grants'],
    ['storage', 'BigQuery and service account'],
    ['get-access', 'How to get access'],
  ];
  if (p.standing) sections.push(['standing', 'Standing']);
  if (site.storage) sections.push(['live-storage', 'Stored on Kafka']);
  if (site.consumption) sections.push(['consumer-groups', 'Consumer groups']);
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <Link to={pagePath.index}>Products</Link> / <Link to={pagePath.domain(p.businessDomain)}>{p.businessDomain}</Link> / <span aria-current="page">{p.title}</span>
      </nav>
      <h1>{p.title}</h1>
      <p class="subtitle">
        <code>{p.id}</code> <span class={`badge type-${p.domainType}`}>{p.domainType}</span> <span class="muted">version {p.version}</span>
      </p>
      {p.description && <p class="lead">{p.description}</p>}
      {p.problems.length > 0 && (
        <div class="alert" role="status">
          <p>The spec has {plural(p.problems.length, 'problem')}:</p>
          <ul>
            {p.problems.map((d) => (
              <li>
                <code>{formatDiagnostic(d)}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <dl class="facts wide">
        <dt>Owners</dt>
        <dd>
          <ul class="plain">
            {p.owners.map((o) => (
              <li>
                <code>{o}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>URN</dt>
        <dd>
          <code>{p.urn}</code>
        </dd>
        <dt>Spec</dt>
        <dd>
          <code>{p.file}</code> (AsyncAPI {p.asyncapiVersion})
        </dd>
        <dt>Kafka principal</dt>
        <dd>
          <code>{p.principal}</code>
        </dd>
        <dt>Client quota</dt>
        <dd>
          {p.quota.length === 0
            ? 'none (the cluster default)'
            : p.quota.map((q) => (
                <div>
                  <code>
                    {q.key}={q.value}
                  </code>{' '}
                  <span class="muted">{q.from}</span>
                </div>
              ))}
        </dd>
      </dl>
      <nav aria-label="On this page" class="toc">
        <ul>
          {sections.map(([id, label]) => (
            <li>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section id="lineage" aria-labelledby="lineage-title">
        <h2 id="lineage-title">Lineage</h2>
        <p>
          What {p.title} reads (left), what it publishes, and who reads that (right). The <Link to={pagePath.lineage}>whole mesh</Link> has its own
          page.
        </p>
        {graph && (
          <>
            <LineageGraph graph={graph} id="neighbours" label={`Lineage around ${p.title}`} />
            <GraphLegend graph={graph} />
          </>
        )}
      </section>

      <section id="topics" aria-labelledby="topics-title">
        <h2 id="topics-title">Topics</h2>
        {p.topics.length === 0 ? <p class="muted">This product publishes no topic.</p> : p.topics.map((t) => <TopicSection topic={t} />)}
      </section>

      <section id="reads" aria-labelledby="reads-title">
        <h2 id="reads-title">Reads</h2>
        {p.consumes.length === 0 ? (
          <p class="muted">This product reads no other product's topic.</p>
        ) : (
          <DataTable
            head={['Topic', 'Owner', 'Access']}
            rows={p.consumes.map((c) => ({
              cells: [<TopicLink topic={c.topic} />, c.owner ? <ProductLink id={c.owner} /> : <span class="muted">not declared by any spec</span>, <AccessBadge access={c.access} />],
            }))}
          />
        )}
      </section>


      <section id="grants" aria-labelledby="grants-title">
        <h2 id="grants-title">Grants</h2>
        <h3>Given</h3>
        <GrantsGiven product={p} />
        <h3>Received</h3>
        {p.grantsReceived.length === 0 && p.writeGrantsReceived.length === 0 ? (
          <p class="muted">No protected topic of another product is granted to {p.title}.</p>
        ) : (
          <ul>
            {p.grantsReceived.map((g) => (
              <li>
                <TopicLink topic={g.topic} /> from <ProductLink id={g.owner} />
                {g.consumed ? '' : <span class="muted"> (granted, not read yet)</span>}
              </li>
            ))}
            {p.writeGrantsReceived.map((w) => (
              <li>
                writes to <TopicLink topic={w.topic} /> of <ProductLink id={w.owner} /> (input topic)
                {w.sends ? '' : <span class="muted"> (granted, not written yet)</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="storage" aria-labelledby="storage-title">
        <h2 id="storage-title">BigQuery and service account</h2>
        <DataTable
          head={['Layer', 'Dataset', 'Location', 'Readers besides the product']}
          rows={p.datasets.map((d) => ({
            cells: [
              d.layer,
              <code>{`${site.view.project}.${d.datasetId}`}</code>,
              d.location,
              d.viewers.length === 0 ? 'none' : d.viewers.map((v) => <div><code>{v}</code></div>),
            ],
          }))}
        />
        <dl class="facts wide">
          <dt>Service account</dt>
          <dd>
            <code>{p.serviceAccount.email}</code> writes the datasets (roles/bigquery.dataEditor)
          </dd>
          <dt>May act as it</dt>
          <dd>the owners (roles/iam.serviceAccountTokenCreator)</dd>
        </dl>
      </section>

      <HowToGetAccess product={p} />
      {p.standing && <StandingSection product={p} />}
      {site.storage && <LiveStorage product={p} />}
      {site.consumption && <ConsumerGroups product={p} />}
    </>
  );
}

/** The product against the mesh's governance rules: which it keeps, which it breaks, and where. */
function StandingSection(props: { product: ProductView }): VNode {
  const p = props.product;
  const standing = p.standing!;
  return (
    <section id="standing" aria-labelledby="standing-title">
      <h2 id="standing-title">Standing</h2>
      <p>
        <StandingBadge product={p} /> The mesh holds {p.title} to {plural(standing.rules.length, 'rule')}: {standing.rules.map((r, i) => (
          <>
            {i > 0 && ', '}
            <code>{r}</code>
          </>
        ))}
        .
      </p>
      {standing.findings.length > 0 && (
        <DataTable
          head={['Where', 'Severity', 'Rule', 'Message']}
          rows={standing.findings.map((d) => ({
            class: `severity-${d.severity}`,
            cells: [d.location ? <code>{`${d.location.file}:${d.location.line}:${d.location.col}`}</code> : '', d.severity, <code>{d.rule}</code>, d.message],
          }))}
        />
      )}
    </section>
  );
}

/** `keeps every rule`, `breaks 2 rules`, or `2 warnings`: a product's standing in a word. */
export function StandingBadge(props: { product: ProductView }): VNode {
  const s = props.product.standing!;
  if (s.broken.length > 0) return <span class="badge problem">breaks {plural(s.broken.length, 'rule')}</span>;
  if (s.warned.length > 0) return <span class="badge standing-warn">warned on {plural(s.warned.length, 'rule')}</span>;
  return <span class="badge standing-ok">keeps every rule</span>;
}

function TopicSection(props: { topic: TopicView }): VNode {
  const t = props.topic;
  const { site } = usePage();
  const storage = site.storage?.products.flatMap((s) => s.topics).find((s) => s.topic === t.name);
  const readers = readersOf(t);
  const groups = consumerGroupsOf(site.consumption?.products.flatMap((p) => p.groups) ?? [], t.name);
  return (
    <section class="topic" id={topicAnchor(t.name)} aria-labelledby={`${topicAnchor(t.name)}-title`}>
      <h3 id={`${topicAnchor(t.name)}-title`}>
        {t.shortName} <VisibilityBadge visibility={t.visibility} />
      </h3>
      <p>
        <code class="topic-name">{t.name}</code>
      </p>
      {t.description && <p>{t.description}</p>}
      <dl class="facts">
        <dt>Partitions</dt>
        <dd>{t.partitions}</dd>
        <dt>Replicas</dt>
        <dd>{t.replicas}</dd>
        <dt>Config</dt>
        <dd>
          {Object.keys(t.config).length === 0
            ? 'cluster defaults'
            : Object.entries(t.config).map(([k, v]) => (
                <div>
                  <code>
                    {k}={v}
                  </code>
                </div>
              ))}
        </dd>
        <dt>Who may read</dt>
        <dd>{readers}</dd>
        <dt>Who may write</dt>
        <dd>{writersOf(t)}</dd>
        <dt>Read by</dt>
        <dd>
          {t.consumers.length === 0
            ? 'no product in the mesh'
            : t.consumers.map((c, i) => (
                <>
                  {i > 0 && ', '}
                  <ProductLink id={c.consumer} />
                  {(c.access === 'no-grant' || c.access === 'private') && (
                    <>
                      {' '}
                      <AccessBadge access={c.access} />
                    </>
                  )}
                </>
              ))}
        </dd>
        {storage && (
          <>
            <dt>Stored</dt>
            <dd>
              {storage.exists
                ? `${formatBytes(storage.bytes)} (${formatBytes(storage.bytesOnDisk)} with replicas), ${formatCount(storage.offsets)} offsets`
                : 'not on the cluster'}
            </dd>
          </>
        )}
        {groups.length > 0 && (
          <>
            <dt>Lag</dt>
            <dd>
              {groups.map((g, i) => (
                <>
                  {i > 0 && ', '}
                  <code>{g.group}</code> {formatCount(g.lag)}
                </>
              ))}
            </dd>
          </>
        )}
      </dl>
      <Messages topic={t} />
      <p class="source-link muted">
        Declared in <code>{`${t.file}:${t.line}`}</code>
      </p>
    </section>
  );
}

/**
 * The topic's messages: names and texts from the spec, the value and key schemas from the model
 * (the ones meshform registers). Without a model schema (e.g. one that refers to itself), each
 * message's payload as the spec writes it.
 */
function Messages(props: { topic: TopicView }): VNode {
  const t = props.topic;
  const schemas = t.schemas;
  const headed = (m: Message, body?: VNode) => (
    <div class="message">
      <h4>
        Message <code>{m.name ?? m.id}</code>
        {m.contentType && <span class="muted"> {m.contentType}</span>}
      </h4>
      {(m.title || m.summary || m.description) && <p>{[m.title, m.summary, m.description].filter(Boolean).join(' — ')}</p>}
      {body}
    </div>
  );
  if (!schemas?.value && !schemas?.key) {
    return <>{t.messages.map((m) => headed(m, m.payload === undefined ? <p class="muted">No payload schema.</p> : renderSchema(shownPayload(m))))}</>;
  }
  return (
    <>
      {t.messages.map((m) => headed(m))}
      {schemas.value && (
        <div class="message">
          <h4>
            Value schema <span class="badge">{schemas.value.type}</span>
            {schemas.compatibility && <span class="muted"> compatibility {schemas.compatibility}</span>}
          </h4>
          {renderSchema(schemas.value)}
        </div>
      )}
      {schemas.key && (
        <div class="message">
          <h4>
            Key schema <span class="badge">{schemas.key.type}</span>
          </h4>
          {renderSchema(schemas.key)}
        </div>
      )}
    </>
  );
}

function shownPayload(m: Message): ShownSchema {
  const type = schemaTypeOf(m.schemaFormat);
  return type ? { type, schema: m.payload } : { type: 'OTHER', format: m.schemaFormat ?? '', schema: m.payload };
}

function readersOf(t: TopicView): VNode {
  switch (t.visibility) {
    case 'public':
      return <>every product (public)</>;
    case 'private':
      return <>the owner only (private)</>;
    case 'protected':
      return t.grants.length === 0 ? (
        <>the owner only: no grants yet</>
      ) : (
        <>
          the owner and{' '}
          {t.grants.map((g, i) => (
            <>
              {i > 0 && ', '}
              {g.inMesh ? <ProductLink id={g.grantee} /> : <code title="not in this mesh">{g.grantee}</code>}
            </>
          ))}
        </>
      );
  }
}

function writersOf(t: TopicView): VNode {
  if (t.writers.length === 0) return <>the owner only</>;
  return (
    <>
      the owner and{' '}
      {t.writers.map((w, i) => (
        <>
          {i > 0 && ', '}
          {w.inMesh ? <ProductLink id={w.writer} /> : <code title="not in this mesh">{w.writer}</code>}
        </>
      ))}{' '}
      (an input topic)
    </>
  );
}

function GrantsGiven(props: { product: ProductView }): VNode {
  const grants = props.product.topics.flatMap((t) => t.grants);
  const writers = props.product.topics.flatMap((t) => t.writers);
  if (grants.length === 0 && writers.length === 0) return <p class="muted">No protected topic of {props.product.title} is granted to another product.</p>;
  return (
    <ul>
      {grants.map((g) => (
        <li>
          <TopicLink topic={g.topic} /> to {g.inMesh ? <ProductLink id={g.grantee} /> : <code>{g.granteeUrn}</code>}
          {!g.inMesh && <span class="muted"> (not in this mesh; its ACL is still created)</span>}
          {g.inMesh && !g.consumed && <span class="muted"> (does not read it yet)</span>}
        </li>
      ))}
      {writers.map((w) => (
        <li>
          <TopicLink topic={w.topic} /> written by {w.inMesh ? <ProductLink id={w.writer} /> : <code>{w.writerUrn}</code>} (input topic,{' '}
          <code>{w.at}</code>)
          {!w.inMesh && <span class="muted"> (not in this mesh; its ACL is still created)</span>}
          {w.inMesh && !w.sends && <span class="muted"> (does not write to it yet)</span>}
        </li>
      ))}
    </ul>
  );
}

const ACCESS_LABEL: Record<Access, string> = {
  public: 'public',
  granted: 'granted',
  'no-grant': 'no grant: not readable',
  private: 'private: not readable',
  undeclared: 'undeclared topic',
};

export function AccessBadge(props: { access: Access }): VNode {
  return <span class={`badge access-${props.access}`}>{ACCESS_LABEL[props.access]}</span>;
}

function TopicLink(props: { topic: string }): VNode {
  const { site } = usePage();
  const topic = site.view.topics.get(props.topic);
  if (!topic && !site.view.undeclaredTopics.some((u) => u.name === props.topic)) return <code>{props.topic}</code>;
  if (!topic) {
    return (
      <Link to={pagePath.lineageTopic(props.topic)}>
        <code>{props.topic}</code>
      </Link>
    );
  }
  return (
    <Link to={pagePath.topic(topic.owner, topic.name)}>
      <code>{topic.name}</code>
    </Link>
  );
}

/** The channel key a consumer would give the topic in its spec: `order_placed` -> `orderPlaced`. */
function channelKey(shortName: string): string {
  return shortName.replace(/[._-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
}

const YOUR_URN = 'urn:<your>:<product>';

function HowToGetAccess(props: { product: ProductView }): VNode {
  const { site } = usePage();
  const p = props.product;
  const shared = p.topics.filter((t) => t.visibility !== 'private');
  const others = site.view.products.filter((o) => o.id !== p.id);
  return (
    <section id="get-access" aria-labelledby="get-access-title">
      <h2 id="get-access-title">How to get access</h2>
      {p.topics.length === 0 ? (
        <p>{p.title} publishes no topic.</p>
      ) : shared.length === 0 ? (
        <p>
          {p.title} shares no topic: private topics are for the owner only. Ask the owners ({p.owners.join(', ')}) to publish a public or protected one.
        </p>
      ) : (
        <>
          <p>
            Public topics need nothing but a <code>receive</code> operation in your spec. A protected topic also needs a grant: a tag on the topic's
            channel in <code>{p.file}</code>, which <code>meshform request-access</code> adds for you to review with the owners; once merged,{' '}
            <code>meshform kafka apply</code> creates the ACL. To write to a protected topic (an input topic such as a command channel), add{' '}
            <code>--write</code>: the owners grant it with a <code>grant-write:</code> tag.
          </p>
          {others.length > 0 && (
            // Filled by catalog.js from assets/products.js, one list for every page: a mesh of 1,000
            // products would otherwise repeat 1,000 options on each of them.
            <p class="access-as" hidden>
              <label for="access-as">Show the lines for</label>{' '}
              <select id="access-as" data-placeholder={YOUR_URN} data-product={p.id}>
                <option value="">your product</option>
              </select>
            </p>
          )}
          {shared.map((t) => (
            <div class="get-access">
              <h3>
                <code>{t.shortName}</code> <VisibilityBadge visibility={t.visibility} />
              </h3>
              {t.visibility === 'protected' && (
                <>
                  <p>1. Ask for it from a checkout of the owners' specs: this adds the grant to the channel and shows the diff.</p>
                  <pre class="snippet command">
                    {`meshform request-access ${t.name} --for `}
                    <span data-urn="">{YOUR_URN}</span>
                  </pre>
                  <p>
                    With <code>--patch grant.patch</code> the spec stays as it is and the change goes into a patch the owners apply with{' '}
                    <code>git am</code>. Either way their spec then has, on the channel at <code>{`${t.file}:${t.line}`}</code>:
                  </p>
                  <pre class="snippet">
                    {'tags:\n  - name: grant-access:'}
                    <span data-urn="">{YOUR_URN}</span>
                  </pre>
                  <p>2. Your spec receives from it:</p>
                </>
              )}
              <pre class="snippet">{receiveSnippet(t)}</pre>
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function receiveSnippet(t: TopicView): string {
  const key = channelKey(t.shortName);
  return [
    'channels:',
    `  ${key}:`,
    `    address: ${t.name}`,
    'operations:',
    `  consume${key.charAt(0).toUpperCase()}${key.slice(1)}:`,
    '    action: receive',
    `    channel: { $ref: '#/channels/${key}' }`,
  ].join('\n');
}

function consumerGroupsOf(groups: GroupConsumption[], topic: string): Array<{ group: string; lag: number }> {
  return groups.flatMap((g) => g.topics.filter((t) => t.topic === topic).map((t) => ({ group: g.group, lag: t.lag })));
}

function LiveStorage(props: { product: ProductView }): VNode {
  const { site } = usePage();
  const storage = site.storage?.products.find((s) => s.product === props.product.id);
  return (
    <section id="live-storage" aria-labelledby="live-storage-title">
      <h2 id="live-storage-title">Stored on Kafka</h2>
      <p class="muted">
        From the storage report read at {site.storage?.readAt} from {plural(site.storage?.brokers ?? 0, 'broker')}. Size counts each partition once (its
        leader); on disk counts every replica. Offsets are end minus start: at most the records kept.
      </p>
      {!storage ? (
        <p class="muted">The report has nothing for {props.product.id}.</p>
      ) : (
        <DataTable
          head={['Topic', 'Partitions', 'Size', 'On disk', 'Offsets']}
          numeric={[1, 2, 3, 4]}
          rows={[
            ...storage.topics.map((t) => ({
              cells: [
                <>
                  <TopicLink topic={t.topic} />
                  {!t.declared && <span class="badge access-undeclared">in no spec</span>}
                  {!t.exists && <span class="badge problem">not on the cluster</span>}
                </>,
                t.exists ? String(t.partitions.length) : '',
                t.exists ? formatBytes(t.bytes) : '',
                t.exists ? formatBytes(t.bytesOnDisk) : '',
                t.exists ? formatCount(t.offsets) : '',
              ],
            })),
            { class: 'total', cells: ['All topics', '', formatBytes(storage.bytes), formatBytes(storage.bytesOnDisk), formatCount(storage.offsets)] },
          ]}
        />
      )}
      {site.storage && site.storage.notes.length > 0 && (
        <ul class="muted">
          {site.storage.notes.map((n) => (
            <li>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ConsumerGroups(props: { product: ProductView }): VNode {
  const { site } = usePage();
  const groups = site.consumption?.products.find((c) => c.product === props.product.id)?.groups ?? [];
  return (
    <section id="consumer-groups" aria-labelledby="consumer-groups-title">
      <h2 id="consumer-groups-title">Consumer groups</h2>
      <p class="muted">From the consumption report read at {site.consumption?.readAt}.</p>
      {groups.length === 0 ? (
        <p class="muted">No consumer group of {props.product.id} on the cluster.</p>
      ) : (
        <DataTable
          head={['Group', 'State', 'Topic', 'Lag']}
          numeric={[3]}
          rows={groups.flatMap((g) =>
            g.topics.map((t) => ({
              cells: [
                <code>{g.group}</code>,
                g.state ?? 'unknown',
                <>
                  <TopicLink topic={t.topic} />
                  {!t.declared && <span class="badge access-undeclared">not in the spec</span>}
                </>,
                formatCount(t.lag),
              ],
            })),
          )}
        />
      )}
    </section>
  );
}

