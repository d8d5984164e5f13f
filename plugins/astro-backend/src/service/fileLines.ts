import { ValidationIssue } from '@airflow-portal/plugin-astro-common';
import { Document, isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';

/**
 * The segments of a field path as `formatFieldPath` writes it
 * (`file.spec.settings.workerQueues[0].maxWorkers`), without its prefix.
 */
function segmentsOf(path: string, prefix: string): Array<string | number> {
  const rest = path.startsWith(`${prefix}.`)
    ? path.slice(prefix.length + 1)
    : path;
  return Array.from(rest.matchAll(/\[(\d+)\]|[^.[\]]+/g), match =>
    match[1] === undefined ? match[0] : Number(match[1]),
  );
}

/**
 * Where a parsed YAML file holds a field path: the 1-based line of the
 * deepest part of the path the file has (a missing field is reported at
 * the map that lacks it).
 */
export function lineOfPath(
  document: Document,
  lines: LineCounter,
  segments: ReadonlyArray<string | number>,
): number | undefined {
  const lineAt = (node: { range?: [number, number, number] | null }) =>
    node.range ? lines.linePos(node.range[0]).line : undefined;
  let node: unknown = document.contents;
  if (!node) {
    return undefined;
  }
  let line = lineAt(node as Node);
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        item => isScalar(item.key) && String(item.key.value) === segment,
      );
      if (!pair) {
        break;
      }
      line = lineAt(pair.key as Node) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) {
        break;
      }
      line = lineAt(item as Node) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/**
 * One message naming each issue's field path and the line of the file it
 * is on: `file.spec.settings.executor: must be … (line 9)`.
 */
export function describeIssuesInFile(
  issues: ValidationIssue[],
  document: Document,
  lines: LineCounter,
  prefix: string,
): string {
  return issues
    .map(issue => {
      const line = lineOfPath(document, lines, segmentsOf(issue.path, prefix));
      const where = line === undefined ? '' : ` (line ${line})`;
      return `${issue.path}: ${issue.message}${where}`;
    })
    .join('; ');
}
