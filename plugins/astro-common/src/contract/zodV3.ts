import type { z as zodV3 } from 'zod/v3';
import { getContractJsonSchemas, JsonSchema } from './jsonSchemas';

type ZodV3 = typeof zodV3;

const REF_PREFIX = '#/components/schemas/';

/**
 * Rebuilds a contract JSON schema with zod 3, for the Backstage APIs that
 * take zod 3 schemas (scaffolder action inputs, scaffolder form fields):
 * the same fields, types, enums and limits as the OpenAPI document, so that
 * those schemas are derived from the one definition instead of copied.
 * Covers the JSON schema the contract uses: objects, arrays, strings
 * (length, pattern, enum, e-mail), integers, numbers, booleans, `$ref` and
 * `anyOf` with `null`.
 */
function toZod(
  z: ZodV3,
  schema: JsonSchema,
  schemas: Record<string, JsonSchema>,
): zodV3.ZodTypeAny {
  if (typeof schema.$ref === 'string') {
    const target = schemas[schema.$ref.slice(REF_PREFIX.length)];
    if (!target) {
      throw new Error(`Unknown schema ${schema.$ref}`);
    }
    const resolved = toZod(z, target, schemas);
    return typeof schema.description === 'string'
      ? resolved.describe(schema.description)
      : resolved;
  }
  let result: zodV3.ZodTypeAny;
  if (Array.isArray(schema.anyOf)) {
    const options = schema.anyOf as JsonSchema[];
    const nonNull = options.filter(o => o.type !== 'null');
    if (nonNull.length !== 1) {
      throw new Error('Only anyOf [schema, null] is supported');
    }
    result = toZod(z, nonNull[0], schemas).nullable();
  } else if (Array.isArray(schema.enum)) {
    result = z.enum(schema.enum as [string, ...string[]]);
  } else {
    switch (schema.type) {
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<
          string,
          JsonSchema
        >;
        const required = new Set((schema.required as string[]) ?? []);
        const shape = Object.fromEntries(
          Object.entries(properties).map(([key, property]) => {
            const field = toZod(z, property, schemas);
            return [key, required.has(key) ? field : field.optional()];
          }),
        );
        const object = z.object(shape);
        result =
          schema.additionalProperties === false
            ? object.strict()
            : object.passthrough();
        break;
      }
      case 'array': {
        let array = z.array(toZod(z, schema.items as JsonSchema, schemas));
        if (typeof schema.maxItems === 'number') {
          array = array.max(schema.maxItems);
        }
        result = array;
        break;
      }
      case 'string': {
        let string = z.string();
        if (typeof schema.minLength === 'number') {
          string = string.min(schema.minLength);
        }
        if (typeof schema.maxLength === 'number') {
          string = string.max(schema.maxLength);
        }
        if (typeof schema.pattern === 'string' && schema.format !== 'email') {
          string = string.regex(new RegExp(schema.pattern));
        }
        if (schema.format === 'email') {
          string = string.email();
        }
        result = string;
        break;
      }
      case 'integer':
      case 'number': {
        let number = z.number();
        if (schema.type === 'integer') {
          number = number.int();
        }
        if (typeof schema.minimum === 'number') {
          number = number.min(schema.minimum);
        }
        if (typeof schema.maximum === 'number') {
          number = number.max(schema.maximum);
        }
        result = number;
        break;
      }
      case 'boolean':
        result = z.boolean();
        break;
      default:
        throw new Error(`Unsupported JSON schema type ${String(schema.type)}`);
    }
  }
  return typeof schema.description === 'string'
    ? result.describe(schema.description)
    : result;
}

/**
 * A schema of the contract (see {@link getContractJsonSchemas}) as a zod 3
 * schema built with the given zod 3 instance. `T` names the TypeScript type
 * of the schema (e.g. `DeploymentSettingsInput` for that schema), which the
 * generated OpenAPI types define.
 *
 * @public
 */
export function contractSchemaForZodV3<T = unknown>(
  z: ZodV3,
  name: string,
): zodV3.ZodType<T> {
  const schemas = getContractJsonSchemas();
  if (!schemas[name]) {
    throw new Error(`Unknown contract schema ${name}`);
  }
  return toZod(z, { $ref: `${REF_PREFIX}${name}` }, schemas);
}
