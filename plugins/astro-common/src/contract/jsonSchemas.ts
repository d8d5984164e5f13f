import { z } from 'zod';
import { deploymentSettingsContractSchemas } from '../settings/schema';
import {
  descriptionSchema,
  ownerRefSchema,
  resourceNameSchema,
  titleSchema,
} from './values';

/**
 * A JSON schema (draft 2020-12, the dialect of OpenAPI 3.1).
 *
 * @public
 */
export type JsonSchema = { [key: string]: unknown };

/** Where schemas refer to each other: the OpenAPI document's components. */
const REF_PREFIX = '#/components/schemas/';

/** Every named schema of the contract. */
function namedSchemas(): z.ZodType[] {
  return [
    resourceNameSchema,
    titleSchema,
    descriptionSchema,
    ownerRefSchema,
    ...deploymentSettingsContractSchemas.values(),
  ];
}

/** Suffix of request schemas that have a response twin. */
const INPUT = 'Input';

function mapDeep(value: unknown, fn: (node: JsonSchema) => JsonSchema): any {
  if (Array.isArray(value)) {
    return value.map(item => mapDeep(item, fn));
  }
  if (value && typeof value === 'object') {
    const mapped = Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapDeep(item, fn)]),
    );
    return fn(mapped);
  }
  return value;
}

/** Drops what zod adds but the contract does not mean. */
function tidy(node: JsonSchema): JsonSchema {
  const { $id, $schema, ...rest } = node;
  if (rest.maximum === Number.MAX_SAFE_INTEGER) {
    delete rest.maximum;
  }
  if (rest.minimum === Number.MIN_SAFE_INTEGER) {
    delete rest.minimum;
  }
  return rest;
}

/**
 * The response twin of a request schema: the same fields, each present
 * (the server fills in every default) unless the schema lists it in
 * `responseOptional`; references point at the other twins.
 */
function responseTwin(schema: JsonSchema, description: string): JsonSchema {
  return mapDeep({ ...schema, description }, node => {
    const next = { ...node };
    if (typeof next.$ref === 'string' && next.$ref.endsWith(INPUT)) {
      next.$ref = next.$ref.slice(0, -INPUT.length);
    }
    if (next.type === 'object' && next.properties) {
      const optional = new Set((next.responseOptional as string[]) ?? []);
      next.required = Object.keys(next.properties as object).filter(
        key => !optional.has(key),
      );
    }
    delete next.responseOptional;
    return next;
  });
}

let derived: Record<string, JsonSchema> | undefined;

/**
 * The JSON schemas of the API's value types and Deployment settings,
 * derived from their zod definitions, keyed by their names in the OpenAPI
 * document (`ResourceName`, `DeploymentSettingsInput`, `DeploymentSettings`,
 * …). Each request schema named `…Input` has a response twin without the
 * suffix in which the server-filled fields are required. Computed once;
 * callers must not change the result.
 *
 * @public
 */
export function getContractJsonSchemas(): Record<string, JsonSchema> {
  derived ??= deriveContractJsonSchemas();
  return derived;
}

function deriveContractJsonSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const schema of namedSchemas()) {
    registry.add(schema, { id: z.globalRegistry.get(schema)!.id! });
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: z.globalRegistry,
    uri: id => `${REF_PREFIX}${id}`,
    unrepresentable: 'throw',
  }) as { schemas: Record<string, JsonSchema> };

  const result: Record<string, JsonSchema> = {};
  for (const [id, raw] of Object.entries(schemas).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const schema = mapDeep(raw, tidy);
    if (id.endsWith(INPUT)) {
      const twin = id.slice(0, -INPUT.length);
      result[twin] = responseTwin(
        schema,
        (schema.responseDescription as string | undefined) ??
          String(schema.description),
      );
    }
    result[id] = mapDeep(schema, node => {
      const { responseOptional, responseDescription, ...rest } = node;
      return rest;
    });
  }
  for (const twin of Object.keys(result)) {
    delete result[twin].responseDescription;
  }
  return Object.fromEntries(
    Object.entries(result).sort(([a], [b]) => a.localeCompare(b)),
  );
}
