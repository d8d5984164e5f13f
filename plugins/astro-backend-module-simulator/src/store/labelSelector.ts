import { statusErrors } from '../api/status';
import { arr, at, isRecord, str, stringMap } from './objects';

/** A parsed label selector: every requirement must hold. */
export type LabelSelector = (labels: Record<string, string>) => boolean;

type Requirement = (labels: Record<string, string>) => boolean;

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

/** Splits on commas that are not inside parentheses. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(part => part.trim()).filter(part => part.length > 0);
}

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw statusErrors.badRequest(
      `unable to parse requirement: invalid label value "${value}" in selector "${selector}"`,
    );
  }
  return value;
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) {
    throw statusErrors.badRequest(
      `unable to parse requirement: invalid label key "${key}" in selector "${selector}"`,
    );
  }
  return key;
}

function parseRequirement(text: string, selector: string): Requirement {
  const set = /^(!?)\s*([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const key = checkKey(set[2], selector);
    const values = new Set(
      set[4]
        .split(',')
        .map(value => value.trim())
        .filter(value => value.length > 0)
        .map(value => checkValue(value, selector)),
    );
    return set[3] === 'in'
      ? labels => key in labels && values.has(labels[key])
      : labels => !(key in labels) || !values.has(labels[key]);
  }
  const equality = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(text);
  if (equality) {
    const key = checkKey(equality[1], selector);
    const value = checkValue(equality[3], selector);
    return equality[2] === '!='
      ? labels => labels[key] !== value
      : labels => labels[key] === value;
  }
  const exists = /^(!?)\s*([^\s!=()]+)$/.exec(text);
  if (exists) {
    const key = checkKey(exists[2], selector);
    return exists[1] === '!'
      ? labels => !(key in labels)
      : labels => key in labels;
  }
  throw statusErrors.badRequest(
    `unable to parse requirement: "${text}" in selector "${selector}"`,
  );
}

/**
 * Parses a label selector in the syntax of the Kubernetes API
 * (`a=b,c!=d,e in (f,g),!h`); an empty selector matches everything.
 * Throws a `400 BadRequest` status for a malformed selector.
 */
export function parseLabelSelector(
  selector: string | undefined,
): LabelSelector {
  if (!selector || selector.trim() === '') {
    return () => true;
  }
  const requirements = splitRequirements(selector).map(text =>
    parseRequirement(text, selector),
  );
  return labels => requirements.every(requirement => requirement(labels));
}

/**
 * Whether labels match a structured selector (`matchLabels` and
 * `matchExpressions`) as workloads, services and PDBs carry them.
 */
export function matchesStructuredSelector(
  selector: unknown,
  labels: Record<string, string>,
): boolean {
  if (!isRecord(selector)) {
    return false;
  }
  const byLabels = Object.entries(stringMap(selector.matchLabels)).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpressions = arr(selector.matchExpressions).every(expression => {
    const key = str(at(expression, 'key')) ?? '';
    const operator = str(at(expression, 'operator'));
    const values = arr(at(expression, 'values'));
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

/** Whether labels match a plain map selector, as a Service's `spec.selector`. */
export function matchesMapSelector(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector || Object.keys(selector).length === 0) {
    return false;
  }
  return Object.entries(selector).every(
    ([key, value]) => labels[key] === value,
  );
}
