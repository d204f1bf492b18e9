/** Every diagnostic of the run, as `meshform validate` prints them, grouped by file. */
import type { VNode } from 'preact';
import { compareText } from '../../compare';
import type { Diagnostic } from '../../vocabulary/diagnostics';
import { pagePath } from '../paths';
import { Link, plural, usePage } from './layout';
import { DataTable } from './table';

export function ProblemsPage(): VNode {
  const { site } = usePage();
  const problems = site.view.problems;
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of problems) {
    const file = d.location?.file ?? '';
    byFile.set(file, [...(byFile.get(file) ?? []), d]);
  }
  const productOf = (file: string) => site.view.products.find((p) => p.file === file);
  return (
    <>
      <h1>Problems</h1>
      {problems.length === 0 ? (
        <p class="lead">The specs have no errors and no warnings.</p>
      ) : (
        <p class="lead">
          {plural(problems.filter((d) => d.severity === 'error').length, 'error')} and{' '}
          {plural(problems.filter((d) => d.severity === 'warning').length, 'warning')}, as <code>meshform validate</code> reports them.
        </p>
      )}
      {[...byFile.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([file, list]) => {
          const product = productOf(file);
          return (
            <section>
              <h2>
                <code>{file || 'no file'}</code>
                {product && (
                  <>
                    {' '}
                    <Link to={pagePath.product(product.id)}>{product.title}</Link>
                  </>
                )}
              </h2>
              <DataTable
                head={['Where', 'Severity', 'Code', 'Message']}
                rows={list.map((d) => ({
                  class: `severity-${d.severity}`,
                  cells: [d.location ? `${d.location.line}:${d.location.col}` : '', d.severity, <code>{d.code}</code>, d.message],
                }))}
              />
            </section>
          );
        })}
    </>
  );
}
