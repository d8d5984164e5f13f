import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { astroConfigSchema } from './astroConfigSchema';

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

let jsonSchema: JsonSchema | undefined;

/** The JSON Schema of `astro.*`, derived from the zod schema once. */
export function astroConfigJsonSchema(): JsonSchema {
  jsonSchema ??= z.toJSONSchema(astroConfigSchema, {
    unrepresentable: 'any',
    io: 'input',
  }) as JsonSchema;
  return jsonSchema;
}

/** The keys an object at `path` (below `astro`) may have. */
function knownKeysAt(path: PropertyKey[]): string[] {
  let nodes: JsonSchema[] = [astroConfigJsonSchema()];
  for (const segment of path) {
    const next: JsonSchema[] = [];
    const visit = (node: JsonSchema) => {
      node.anyOf?.forEach(visit);
      node.allOf?.forEach(visit);
      if (typeof segment === 'number' && node.items) {
        next.push(node.items);
      } else if (typeof segment === 'string' && node.properties?.[segment]) {
        next.push(node.properties[segment]);
      }
    };
    nodes.forEach(visit);
    nodes = next;
  }
  const keys = new Set<string>();
  const collect = (node: JsonSchema) => {
    node.anyOf?.forEach(collect);
    node.allOf?.forEach(collect);
    Object.keys(node.properties ?? {}).forEach(key => keys.add(key));
  };
  nodes.forEach(collect);
  return [...keys];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The known key an unknown one was probably meant to be: the closest by
 * edit distance, comparing with the whole key and with its last word
 * (`tokn` → `serviceAccountToken`), when close enough to be a typo.
 */
export function suggestKey(
  unknown: string,
  known: string[],
): string | undefined {
  const typed = unknown.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const words = key.split(/(?=[A-Z])/);
    const lastWord = words[words.length - 1].toLowerCase();
    const distance = Math.min(
      editDistance(typed, key.toLowerCase()),
      editDistance(typed, lastWord) + 0.5,
    );
    if (!best || distance < best.distance) {
      best = { key, distance };
    }
  }
  const allowed = Math.max(2, Math.floor(unknown.length / 3));
  return best && best.distance <= allowed ? best.key : undefined;
}

function keyPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === 'number'
        ? `${text}[${segment}]`
        : `${text}.${String(segment)}`,
    'astro',
  );
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return issue.keys.map(key => {
      const suggestion = suggestKey(key, known);
      return `${keyPath([...issue.path, key])} is not a known key${
        suggestion ? `; did you mean ${suggestion}?` : ''
      }`;
    });
  }
  if (issue.code === 'invalid_union') {
    // The alternatives' own problems say more than "invalid input".
    // The alternative of the value's type (an object, a string) is the
    // one the value was meant as.
    const nested = issue.errors
      .filter(
        errors =>
          !errors.every(
            inner => inner.code === 'invalid_type' && inner.path.length === 0,
          ),
      )
      .map(errors =>
        errors.flatMap(inner =>
          describeIssue({ ...inner, path: [...issue.path, ...inner.path] }),
        ),
      )
      .sort((a, b) => a.length - b.length)[0];
    if (nested && nested.length > 0) {
      return nested;
    }
  }
  if (
    issue.code === 'invalid_type' &&
    /received undefined$/.test(issue.message)
  ) {
    return [`${keyPath(issue.path)} is missing`];
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  return [`${keyPath(issue.path)} ${message}`];
}

/**
 * Checks `astro.*` against {@link astroConfigSchema} before anything reads
 * it. Throws an `InputError` listing every problem with the key path of
 * each (never a value: some are credentials), so a misspelled or missing
 * key fails the start instead of being ignored.
 */
export function validateAstroConfig(config: Config): void {
  const raw = config.getOptional('astro');
  if (raw === undefined) {
    return;
  }
  const result = astroConfigSchema.safeParse(raw);
  if (result.success) {
    return;
  }
  const problems = [...new Set(result.error.issues.flatMap(describeIssue))];
  throw new InputError(`Invalid configuration: ${problems.join('; ')}`);
}
