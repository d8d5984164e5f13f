/**
 * A problem with one field of a request.
 *
 * @public
 */
export interface ValidationIssue {
  /** The field, as a path such as `settings.workerQueues[0].maxWorkers`. */
  path: string;
  message: string;
}

/**
 * Renders a field path the way JavaScript would access it.
 *
 * @public
 */
export function formatFieldPath(
  segments: ReadonlyArray<PropertyKey>,
  prefix?: string,
): string {
  let path = prefix ?? '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else {
      path += path ? `.${String(segment)}` : String(segment);
    }
  }
  return path;
}

/**
 * Converts zod issues into validation issues with readable paths.
 *
 * @public
 */
export function toValidationIssues(
  issues: ReadonlyArray<{
    path: ReadonlyArray<PropertyKey>;
    message: string;
    code?: string;
    keys?: string[];
  }>,
  prefix?: string,
): ValidationIssue[] {
  return issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map(key => ({
        path: formatFieldPath([...issue.path, key], prefix),
        message: 'is not a known field',
      }));
    }
    return [
      { path: formatFieldPath(issue.path, prefix), message: issue.message },
    ];
  });
}

/**
 * One line that names every issue, for error messages.
 *
 * @public
 */
export function describeValidationIssues(issues: ValidationIssue[]): string {
  return issues.map(i => `${i.path}: ${i.message}`).join('; ');
}
