/**
 * A plain data table whose first cell heads its row. On narrow screens (catalog.css, `table.stack`)
 * each row becomes a small card, every cell labelled with its column's name.
 */
import type { ComponentChildren, VNode } from 'preact';

export interface TableRow {
  cells: ComponentChildren[];
  class?: string;
}

export function DataTable(props: { head: string[]; rows: TableRow[]; id?: string; numeric?: readonly number[] }): VNode {
  const numeric = new Set(props.numeric ?? []);
  return (
    <div class="table-scroll">
      <table class="stack" id={props.id}>
        <thead>
          <tr>
            {props.head.map((label, i) => (
              <th scope="col" class={numeric.has(i) ? 'num' : undefined}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr class={row.class}>
              {row.cells.map((cell, i) =>
                i === 0 ? (
                  <th scope="row" data-label={props.head[0]}>
                    {cell}
                  </th>
                ) : (
                  <td data-label={props.head[i]} class={numeric.has(i) ? 'num' : undefined}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
