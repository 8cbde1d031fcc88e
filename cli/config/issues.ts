/** One problem in a tenant file: where, what, and how to fix it. */
export interface ConfigIssue {
  /** JavaScript notation, e.g. `destinations[0].auth.tokenSecret`. */
  path: string;
  message: string;
  fix: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message} — ${issue.fix}`;
}

/** One issue a line, the form `validate` and `build` print. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** Drops repeats and orders by location so related problems sit together. */
export function tidyIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.path.localeCompare(b.issue.path, 'en', { numeric: true }) || a.index - b.index)
    .map(({ issue }) => issue);
}
