import { spec } from './openapi';

type Schema = Record<string, any>;

/** Every property schema of the document, with its path. */
function* properties(
  schema: Schema,
  path: string,
): Generator<[string, Schema]> {
  for (const [name, property] of Object.entries<Schema>(
    schema.properties ?? {},
  )) {
    yield [`${path}.${name}`, property];
    yield* properties(property, `${path}.${name}`);
    if (property.items) {
      yield* properties(property.items, `${path}.${name}[]`);
    }
  }
  if (schema.items) {
    yield* properties(schema.items, `${path}[]`);
  }
}

describe('the OpenAPI document', () => {
  it('describes every field, with an example for every value field', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries<Schema>(
      spec.components.schemas,
    )) {
      for (const [path, property] of properties(schema, name)) {
        if (property.$ref) {
          continue; // described by the schema it refers to
        }
        if (!property.description) {
          missing.push(`${path}: description`);
        }
        const isContainer =
          property.type === 'object' || property.type === 'array';
        if (!isContainer && property.example === undefined && property.type) {
          missing.push(`${path}: example`);
        }
      }
      if (!schema.description) {
        missing.push(`${name}: description`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes every operation and parameter', () => {
    const missing: string[] = [];
    for (const [path, operations] of Object.entries<Schema>(spec.paths)) {
      for (const [method, operation] of Object.entries<Schema>(operations)) {
        if (!operation.description) {
          missing.push(`${method} ${path}`);
        }
        for (const parameter of operation.parameters ?? []) {
          if (!parameter.description || parameter.example === undefined) {
            missing.push(`${method} ${path} ${parameter.name}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('rejects unknown fields in every request body', () => {
    const open: string[] = [];
    for (const [name, schema] of Object.entries<Schema>(
      spec.components.schemas,
    )) {
      for (const [path, property] of [
        [name, schema] as [string, Schema],
        ...properties(schema, name),
      ]) {
        if (
          property.type === 'object' &&
          property.additionalProperties === undefined
        ) {
          open.push(path);
        }
      }
    }
    // The error body is Backstage's own and may carry more fields.
    expect(open.filter(p => !p.startsWith('Error'))).toEqual([]);
  });
});
