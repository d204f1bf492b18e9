/** Principal x topic: who may read and write each topic, as the provisioned Kafka ACLs decide. */
import type { VNode } from 'preact';
import { topicAccess } from '../access';
import { pagePath } from '../paths';
import { Link, VisibilityBadge, usePage } from './layout';

export function AccessPage(): VNode {
  const { site } = usePage();
  const { view } = site;
  const topics = view.products.flatMap((p) => p.topics);
  const principals = view.principals;
  // Product columns come sorted by id, so each business domain is one run of columns.
  const groups: Array<{ label: string; columns: number }> = [];
  for (const p of principals) {
    const label = p.product ? (view.products.find((x) => x.id === p.product)?.businessDomain ?? '') : 'others';
    const last = groups[groups.length - 1];
    if (last?.label === label) last.columns++;
    else groups.push({ label, columns: 1 });
  }
  return (
    <>
      <h1>Access</h1>
      <p class="lead">
        Who may read (<strong>R</strong>) and write (<strong>W</strong>) each topic, decided from the Kafka ACLs meshform provisions
        {view.stack ? ` for stack ${view.stack}` : ''}, the way Kafka's authorizer decides. A column per product principal; <em>anyone</em> is any other
        principal. <span class="cell-sample no-grant">✕</span> marks a product that reads the topic without access.
      </p>
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
              {principals.map((p) => {
                const product = p.product ? view.products.find((x) => x.id === p.product) : undefined;
                return (
                  <th scope="col" data-principal={p.principal} title={p.principal}>
                    {product ? <Link to={pagePath.product(product.id)}>{product.title}</Link> : 'anyone'}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {topics.map((t) => (
              <tr data-topic={t.name}>
                <th scope="row">
                  <Link to={pagePath.topic(t.owner, t.name)} title={t.name}>
                    <code>{t.shortName}</code>
                  </Link>{' '}
                  <VisibilityBadge visibility={t.visibility} />
                  <span class="muted small">{t.owner}</span>
                </th>
                {principals.map((p) => {
                  const access = topicAccess(site.acls, p.principal, t.name);
                  const blocked = p.product !== undefined && t.consumers.some((c) => c.consumer === p.product && (c.access === 'no-grant' || c.access === 'private'));
                  const text = `${access.read ? 'R' : ''}${access.write ? 'W' : ''}`;
                  const words = access.read && access.write ? 'read and write' : access.read ? 'read' : access.write ? 'write' : 'no access';
                  return (
                    <td
                      data-principal={p.principal}
                      data-access={text || 'none'}
                      class={[text ? 'yes' : 'no', blocked && 'no-grant'].filter(Boolean).join(' ')}
                      title={`${p.principal} on ${t.name}: ${words}${blocked ? '; reads it without a grant' : ''}`}
                    >
                      <span aria-hidden="true">{text || (blocked ? '✕' : '·')}</span>
                      <span class="sr-only">{words + (blocked ? ', reads it without a grant' : '')}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
