/** Plain aligned text columns, for printing a simulator's final state (`npm start`). */

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Renders a header, a dashed rule and one line per row. Columns default to every key seen, in
 * first-seen order; trailing spaces are trimmed so output diffs cleanly.
 */
export function formatTable(rows: ReadonlyArray<object>, columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (cols.length === 0) return '';
  const cells = rows.map((row) => cols.map((col) => text((row as Record<string, unknown>)[col])));
  const widths = cols.map((col, i) =>
    Math.max(col.length, ...cells.map((line) => (line[i] as string).length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((value, i) => value.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [render(cols), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)].join('\n');
}
