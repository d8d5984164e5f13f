import { spec } from './openapi.generated';

type Schema = Record<string, any>;

const schemas: Record<string, Schema> = spec.components.schemas;

/** The schema a `$ref` points at. */
function resolve(schema: Schema): Schema {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (!schemas[name]) {
      throw new Error(`unresolved ${schema.$ref}`);
    }
    return schemas[name];
  }
  return schema;
}

/** Every property schema of a schema (through allOf), with its path. */
function* properties(
  schema: Schema,
  path: string,
): Generator<[string, Schema]> {
  for (const part of schema.allOf ?? []) {
    if (!part.$ref) {
      yield* properties(part, path);
    }
  }
  for (const [name, property] of Object.entries<Schema>(
    schema.properties ?? {},
  )) {
    yield [`${path}.${name}`, property];
    yield* properties(property, `${path}.${name}`);
  }
  if (schema.items) {
    yield* properties(schema.items, `${path}[]`);
  }
}

/** Every object schema a request body can contain, by reference path. */
function* requestObjects(
  schema: Schema,
  path: string,
  seen = new Set<Schema>(),
): Generator<[string, Schema]> {
  const target = resolve(schema);
  if (seen.has(target)) {
    return;
  }
  seen.add(target);
  if (target.type === 'object') {
    yield [path, target];
  }
  for (const [name, property] of Object.entries<Schema>(
    target.properties ?? {},
  )) {
    yield* requestObjects(property, `${path}.${name}`, seen);
  }
  for (const alternative of target.anyOf ?? []) {
    yield* requestObjects(alternative, path, seen);
  }
  if (target.items) {
    yield* requestObjects(target.items, `${path}[]`, seen);
  }
}

describe('the OpenAPI document', () => {
  it('describes every schema and field, with an example for every value field', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(schemas)) {
      if (!schema.description) {
        missing.push(`${name}: description`);
      }
      for (const [path, property] of properties(schema, name)) {
        if (property.$ref) {
          continue; // described by the schema it refers to
        }
        if (!property.description) {
          missing.push(`${path}: description`);
        }
        const isValue = ['string', 'integer', 'number', 'boolean'].includes(
          property.type,
        );
        if (isValue && property.example === undefined) {
          missing.push(`${path}: example`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes every operation and parameter', () => {
    const missing: string[] = [];
    const parameters: Record<string, Schema> = spec.components.parameters;
    for (const [path, operations] of Object.entries<Schema>(spec.paths)) {
      for (const [method, operation] of Object.entries<Schema>(operations)) {
        if (!operation.description || !operation.operationId) {
          missing.push(`${method} ${path}`);
        }
        for (const reference of operation.parameters ?? []) {
          const parameter = reference.$ref
            ? parameters[reference.$ref.replace('#/components/parameters/', '')]
            : reference;
          if (!parameter?.description || parameter.example === undefined) {
            missing.push(`${method} ${path} ${parameter?.name ?? reference}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('rejects unknown fields in every request body', () => {
    // Free-form by design: a DAG run's conf is whatever the DAG's params
    // are, as Airflow's own API takes it.
    const freeForm = new Set(['triggerAirflowDagRun.conf']);
    const open: string[] = [];
    for (const operations of Object.values<Schema>(spec.paths)) {
      for (const operation of Object.values<Schema>(operations)) {
        const body = operation.requestBody?.content?.['application/json'];
        if (!body) {
          continue;
        }
        for (const [path, object] of requestObjects(
          body.schema,
          operation.operationId,
        )) {
          if (object.additionalProperties !== false && !freeForm.has(path)) {
            open.push(path);
          }
        }
      }
    }
    expect(open).toEqual([]);
  });

  it('names every success response schema, so the client returns named types', () => {
    const anonymous: string[] = [];
    for (const operations of Object.values<Schema>(spec.paths)) {
      for (const operation of Object.values<Schema>(operations)) {
        for (const [status, response] of Object.entries<Schema>(
          operation.responses,
        )) {
          const schema = response.content?.['application/json']?.schema;
          if (status.startsWith('2') && schema && !schema.$ref) {
            anonymous.push(`${operation.operationId} ${status}`);
          }
        }
      }
    }
    expect(anonymous).toEqual([]);
  });
});
