/**
 * Principal x topic: who may read and write each topic, as the provisioned Kafka ACLs decide.
 * Columns are the principals some ACL on the shown topics names, the products reading them, and
 * `anyone`: every other principal has exactly `anyone`'s access there, so leaving it out loses
 * nothing. A large mesh
 * gets one matrix per business domain (`access/<domain>.html`) and an index on `access.html`.
 */
import type { VNode } from 'preact';
import { compareText } from '../../compare';
import { ANY_PRINCIPAL } from '../../plan/principal';
import { accessByPrincipal, namedPrincipals } from '../access';
import { pagePath } from '../paths';
import type { TopicView } from '../view';
import { render } from 'preact-render-to-string';
import { Link, VisibilityBadge, plural, renderWithin, usePage } from './layout';

/** Above this many topics the matrix is split by business domain. */
export const ACCESS_TOPICS_PER_PAGE = 300;

export function accessSplit(topicCount: number): boolean {
  return topicCount > ACCESS_TOPICS_PER_PAGE;
}

export function AccessIndexPage(): VNode {
  const { site } = usePage();
  return (
    <>
      <h1>Access</h1>
      <Intro />
      <p>The mesh has {plural(site.view.topics.size, 'topic')}: one matrix per business domain.</p>
      <ul>
        {site.view.domains.map((d) => (
          <li>
            <Link to={pagePath.accessDomain(d.id)}>{d.id}</Link> <span class="muted">({plural(d.products.reduce((n, p) => n + p.topics.length, 0), 'topic')})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The matrix of the whole mesh, or of one business domain's topics. */
export function AccessPage(props: { domain?: string }): VNode {
  const { site } = usePage();
  const { view } = site;
  const topics: TopicView[] = view.products.filter((p) => !props.domain || p.businessDomain === props.domain).flatMap((p) => p.topics);
  const named = namedPrincipals(site.aclIndex, topics.map((t) => t.name));
  // Products that read a topic without access get a column too, for their ✕.
  const readers = new Set(topics.flatMap((t) => t.consumers.map((c) => c.consumer)));
  for (const p of view.principals) if (p.product && readers.has(p.product)) named.add(p.principal);
  const inMesh = view.principals.filter((p) => p.product && named.has(p.principal));
  const known = new Set(view.principals.map((x) => x.principal));
  const outside = [...named].filter((p) => !known.has(p)).sort(compareText);
  const productById = new Map(view.products.map((p) => [p.id, p]));
  const columns: Column[] = [
    ...inMesh.map((p) => ({ principal: p.principal, product: p.product, group: (p.product && productById.get(p.product)?.businessDomain) || '' })),
    ...outside.map((principal) => ({ principal, product: undefined, group: 'outside the mesh' })),
    { principal: ANY_PRINCIPAL, product: undefined, group: 'others' },
  ];
  // Product columns come sorted by id, so each business domain is one run of columns.
  const groups: Array<{ label: string; columns: number }> = [];
  for (const c of columns) {
    const last = groups[groups.length - 1];
    if (last?.label === c.group) last.columns++;
    else groups.push({ label: c.group, columns: 1 });
  }
  return (
    <>
      <h1>{props.domain ? `Access to ${props.domain}` : 'Access'}</h1>
      <Intro />
      <section class="table-scroll matrix-scroll" tabIndex={0} aria-label="Access matrix (scrolls sideways)">
        <table class="matrix" id="access-matrix">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Topic
              </th>
              {groups.map((g) => (
                <th scope="colgroup" colSpan={g.columns} class="group">
                  {g.label}
                </th>
              ))}
            </tr>
            <tr>
              {columns.map((c) => {
                const product = c.product ? productById.get(c.product) : undefined;
                return (
                  <th scope="col" data-principal={c.principal} title={c.principal}>
                    {product ? <Link to={pagePath.product(product.id)}>{product.title}</Link> : c.principal === ANY_PRINCIPAL ? 'anyone' : <code>{c.principal}</code>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {topics.map((t) => (
              <AccessRow topic={t} columns={columns} />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

interface Column {
  principal: string;
  product?: string;
  group: string;
}

/**
 * One topic's row. A domain's matrix has 50,000 cells of a few kinds: each kind's HTML is rendered
 * by Preact once (`cellHtml`) and a row is its heading's HTML and its cells' joined. As elements,
 * the cells of 1,000 products' matrices were a million short-lived objects each, and the garbage
 * collector's largest cost.
 */
function AccessRow(props: { topic: TopicView; columns: readonly Column[] }): VNode {
  const page = usePage();
  const t = props.topic;
  const accessOf = accessByPrincipal(page.site.aclIndex.covering(t.name));
  const blockedReaders = new Set(t.consumers.filter((x) => x.access === 'no-grant' || x.access === 'private').map((x) => x.consumer));
  let cells = '';
  for (const c of props.columns) {
    const access = accessOf(c.principal);
    cells += cellHtml(access.read, access.write, c.product !== undefined && blockedReaders.has(c.product));
  }
  return <tr data-topic={t.name} dangerouslySetInnerHTML={{ __html: renderWithin(page, <RowHeading topic={t} />) + cells }} />;
}

function RowHeading(props: { topic: TopicView }): VNode {
  const t = props.topic;
  return (
    <th scope="row">
      <Link to={pagePath.topic(t.owner, t.name)} title={t.name}>
        <code>{t.shortName}</code>
      </Link>{' '}
      <VisibilityBadge visibility={t.visibility} />
      <span class="muted small">{t.owner}</span>
    </th>
  );
}

type CellText = '' | 'R' | 'W' | 'RW';
/** Each kind of cell's HTML, by read + 2 * write + 4 * blocked. */
const cells: string[] = [];

/** A cell's HTML; `blocked`: its product reads the topic without access. */
function cellHtml(read: boolean, write: boolean, blocked: boolean): string {
  const kind = (read ? 1 : 0) + (write ? 2 : 0) + (blocked ? 4 : 0);
  return (cells[kind] ??= render(<Cell text={`${read ? 'R' : ''}${write ? 'W' : ''}` as CellText} blocked={blocked} />));
}

function Cell(props: { text: CellText; blocked: boolean }): VNode {
  const { text, blocked } = props;
  // Most cells say "no access": they stay empty (the intro says so) to keep large matrices small.
  if (!text && !blocked) return <td />;
  const words = text === 'RW' ? 'read and write' : text === 'R' ? 'read' : text === 'W' ? 'write' : 'no access, reads it without a grant';
  return (
    <td class={blocked ? 'no-grant' : 'yes'}>
      <span aria-hidden="true">{text || '✕'}</span>
      <span class="sr-only">{words}</span>
    </td>
  );
}

function Intro(): VNode {
  const { site } = usePage();
  return (
    <p class="lead">
      Who may read (<strong>R</strong>) and write (<strong>W</strong>) each topic, decided from the Kafka ACLs meshform provisions
      {site.view.stack ? ` for stack ${site.view.stack}` : ''}, the way Kafka's authorizer decides. A column per principal that an ACL on these topics
      names; <em>anyone</em> stands for every other principal. An empty cell means no access; <span class="cell-sample no-grant">✕</span> marks a
      product that reads the topic without access.
    </p>
  );
}
