/**
 * The OpenAPI documents of the served kinds: `/openapi/v3` (an index and
 * one document per group version) and `/openapi/v2` (one Swagger 2.0
 * document), with the paths and the `x-kubernetes-*` extensions kubectl and
 * helm read: `x-kubernetes-group-version-kind` on kinds and operations, a
 * `fieldValidation` parameter on writes (kubectl then validates on the
 * server instead of downloading the schema), merge keys on lists.
 */
import { createHash } from 'node:crypto';
import { SIMULATED_VERSION } from '../api/discovery';
import { groupVersionOf, ResourceType } from '../api/resources';
import { ModelSchemas, Schema } from './modelSchemas';

const REF_PREFIX = '#/components/schemas/';

/** A built OpenAPI v3 document of one group version, with its hash. */
interface GroupVersionDocument {
  /** `api/v1` or `apis/apps/v1`. */
  path: string;
  document: Record<string, unknown>;
  hash: string;
}

const query = (name: string, description: string, type = 'string') => ({
  name,
  in: 'query',
  description,
  schema: { type },
  uniqueItems: true,
});

const DRY_RUN = query(
  'dryRun',
  'When present, indicates that modifications should not be persisted. Valid value: All.',
);
const FIELD_MANAGER = query(
  'fieldManager',
  'A name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = query(
  'fieldValidation',
  'How the server handles unknown or duplicate fields: Ignore, Warn or Strict.',
);
const FORCE = query(
  'force',
  'Force an apply request to take fields owned by other managers.',
  'boolean',
);

function ref(name: string) {
  return { $ref: `${REF_PREFIX}${name}` };
}

function okResponse(schemaName: string, code = '200') {
  return {
    [code]: {
      description: 'OK',
      content: {
        'application/json': { schema: ref(schemaName) },
        'application/yaml': { schema: ref(schemaName) },
      },
    },
    '401': { description: 'Unauthorized' },
  };
}

function body(
  schemaName: string,
  mediaTypes = ['application/json', 'application/yaml'],
) {
  return {
    required: true,
    content: Object.fromEntries(
      mediaTypes.map(type => [type, { schema: ref(schemaName) }]),
    ),
  };
}

function kindSchemaName(
  schemas: ModelSchemas,
  type: ResourceType,
  kind = type.kind,
) {
  return (
    schemas.kindName(type.group, type.version, kind) ??
    `${type.group.split('.').reverse().join('.')}.${type.version}.${kind}`
  );
}

/** Paths of one resource type. */
function pathsOf(
  schemas: ModelSchemas,
  type: ResourceType,
): Record<string, unknown> {
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/v1`;
  const gvk = { group: type.group, version: type.version, kind: type.kind };
  const kindName = kindSchemaName(schemas, type);
  const listName = kindSchemaName(schemas, type, `${type.kind}List`);
  const op = (action: string, extra: Record<string, unknown>) => ({
    operationId: `${action}${type.kind}`,
    tags: [groupVersionOf(type)],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const collection = type.namespaced
    ? `${root}/namespaces/{namespace}/${type.plural}`
    : `${root}/${type.plural}`;
  const item = `${collection}/{name}`;
  const parameters = [
    { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
    ...(type.namespaced
      ? [
          {
            name: 'namespace',
            in: 'path',
            required: true,
            schema: { type: 'string' },
          },
        ]
      : []),
  ];
  const paths: Record<string, unknown> = {
    [collection]: {
      ...(type.namespaced ? { parameters: [parameters[1]] } : {}),
      get: op('list', { responses: okResponse(listName) }),
      post: op('post', {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: body(kindName),
        responses: okResponse(kindName, '201'),
      }),
    },
    [item]: {
      parameters,
      get: op('get', { responses: okResponse(kindName) }),
      put: op('put', {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: body(kindName),
        responses: okResponse(kindName),
      }),
      patch: op('patch', {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
        requestBody: {
          required: true,
          content: Object.fromEntries(
            [
              'application/apply-patch+yaml',
              'application/json-patch+json',
              'application/merge-patch+json',
              'application/strategic-merge-patch+json',
            ].map(media => [media, { schema: { type: 'object' } }]),
          ),
        },
        responses: okResponse(kindName),
      }),
      delete: op('delete', { responses: okResponse(kindName) }),
    },
  };
  if (type.namespaced) {
    paths[`${root}/${type.plural}`] = {
      get: op('list', { responses: okResponse(listName) }),
    };
  }
  if (type.statusSubresource) {
    paths[`${item}/status`] = {
      parameters,
      get: op('get', { responses: okResponse(kindName) }),
    };
  }
  return paths;
}

/** The schemas of the types, their lists and what they reference. */
function schemasOf(
  models: ModelSchemas,
  types: ResourceType[],
): Record<string, Schema> {
  const names = types.flatMap(type => [
    kindSchemaName(models, type),
    kindSchemaName(models, type, `${type.kind}List`),
  ]);
  const closure = models.closure(names);
  for (const type of types) {
    for (const kind of [type.kind, `${type.kind}List`]) {
      const name = kindSchemaName(models, type, kind);
      const gvk = [{ group: type.group, version: type.version, kind }];
      const found = closure.get(name);
      closure.set(name, {
        ...(found ?? {
          description: `${kind} (${groupVersionOf(
            type,
          )}), a custom resource; its schema is not published by the simulator.`,
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        }),
        'x-kubernetes-group-version-kind': gvk,
      });
    }
  }
  return Object.fromEntries(
    [...closure.entries()].sort(([a], [b]) => a.localeCompare(b)),
  );
}

function info() {
  return {
    title: 'Kubernetes (simulator)',
    version: SIMULATED_VERSION.gitVersion,
  };
}

/**
 * Builds the OpenAPI documents of a set of served types on first use and
 * keeps them until the set changes (KEDA on or off).
 */
export class OpenApiDocuments {
  /** The parsed declarations never change: every simulator shares them. */
  private static sharedModels?: ModelSchemas;

  private get models(): ModelSchemas {
    OpenApiDocuments.sharedModels ??= new ModelSchemas();
    return OpenApiDocuments.sharedModels;
  }

  private cache?: {
    key: string;
    v3: Map<string, GroupVersionDocument>;
    v2?: Record<string, unknown>;
    buildMs: number;
  };

  /** How long the last build of the v3 documents took, in milliseconds. */
  get lastBuildMs(): number | undefined {
    return this.cache?.buildMs;
  }

  private groupVersions(types: ResourceType[]) {
    const key = types
      .map(type => `${groupVersionOf(type)}/${type.plural}`)
      .join(',');
    if (this.cache?.key === key) return this.cache;
    const started = performance.now();
    const byGroupVersion = new Map<string, ResourceType[]>();
    for (const type of types) {
      const path = type.group ? `apis/${type.group}/${type.version}` : 'api/v1';
      byGroupVersion.set(path, [...(byGroupVersion.get(path) ?? []), type]);
    }
    const v3 = new Map<string, GroupVersionDocument>();
    for (const [path, members] of byGroupVersion) {
      const document = {
        openapi: '3.0.0',
        info: info(),
        paths: Object.assign(
          {},
          ...members.map(type => pathsOf(this.models, type)),
        ),
        components: { schemas: schemasOf(this.models, members) },
      };
      const hash = createHash('sha512')
        .update(JSON.stringify(document))
        .digest('hex')
        .slice(0, 128)
        .toUpperCase();
      v3.set(path, { path, document, hash });
    }
    this.cache = { key, v3, buildMs: performance.now() - started };
    return this.cache;
  }

  /**
   * The fields of an object its kind's schema does not declare, as paths
   * such as `spec.replicaz` (for `fieldValidation=Strict` and `Warn`);
   * none for kinds without a published schema.
   */
  unknownFields(type: ResourceType, object: unknown): string[] {
    const name = this.models.kindName(type.group, type.version, type.kind);
    const unknown: string[] = [];
    const walk = (value: unknown, schema: Schema | undefined, path: string) => {
      const resolved = this.resolve(schema);
      if (!resolved || resolved['x-kubernetes-preserve-unknown-fields']) return;
      if (Array.isArray(value)) {
        value.forEach((item, index) =>
          walk(item, resolved.items as Schema | undefined, `${path}[${index}]`),
        );
        return;
      }
      if (typeof value !== 'object' || value === null) return;
      const properties = resolved.properties as
        | Record<string, Schema>
        | undefined;
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (properties) {
          if (!(key in properties)) {
            unknown.push(childPath);
          } else {
            walk(child, properties[key], childPath);
          }
        } else if (resolved.additionalProperties) {
          walk(child, resolved.additionalProperties as Schema, childPath);
        }
      }
    };
    if (name) {
      walk(object, { $ref: `${REF_PREFIX}${name}` }, '');
    }
    return unknown;
  }

  private resolve(schema: Schema | undefined): Schema | undefined {
    let current = schema;
    for (let depth = 0; current && depth < 5; depth++) {
      const target =
        (current.$ref as string | undefined) ??
        ((current.allOf as Schema[] | undefined)?.[0]?.$ref as
          | string
          | undefined);
      if (!target) return current;
      current = this.models.schema(target.slice(REF_PREFIX.length));
    }
    return current;
  }

  /** `GET /openapi/v3`: where each group version's document is. */
  v3Index(types: ResourceType[]): Record<string, unknown> {
    const { v3 } = this.groupVersions(types);
    return {
      paths: Object.fromEntries(
        [...v3.values()].map(doc => [
          doc.path,
          { serverRelativeURL: `/openapi/v3/${doc.path}?hash=${doc.hash}` },
        ]),
      ),
    };
  }

  /** `GET /openapi/v3/{path}`, or `undefined` for a group version not served. */
  v3Document(
    types: ResourceType[],
    path: string,
  ): Record<string, unknown> | undefined {
    return this.groupVersions(types).v3.get(path)?.document;
  }

  /** `GET /openapi/v2` (JSON): every group version in one Swagger 2.0 document. */
  v2Document(types: ResourceType[]): Record<string, unknown> {
    const cache = this.groupVersions(types);
    if (!cache.v2) {
      const paths: Record<string, unknown> = {};
      const definitions: Record<string, unknown> = {};
      for (const { document } of cache.v3.values()) {
        Object.assign(paths, document.paths);
        Object.assign(
          definitions,
          (document.components as { schemas: Record<string, unknown> }).schemas,
        );
      }
      const text = JSON.stringify({
        swagger: '2.0',
        info: info(),
        paths: v2Paths(paths),
        definitions,
      })
        .split(REF_PREFIX)
        .join('#/definitions/');
      cache.v2 = JSON.parse(text);
    }
    return cache.v2!;
  }
}

/** Swagger 2.0 operations: the body is a parameter, responses carry a schema. */
function v2Paths(paths: Record<string, unknown>): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(paths)) {
    const operations: Record<string, unknown> = {};
    for (const [method, operation] of Object.entries(
      item as Record<string, any>,
    )) {
      if (method === 'parameters') {
        operations.parameters = (operation as any[]).map(
          ({ schema, ...rest }) => ({
            ...rest,
            type: schema.type,
          }),
        );
        continue;
      }
      const { requestBody, responses, parameters = [], ...rest } = operation;
      const bodySchema = requestBody
        ? (Object.values(requestBody.content)[0] as { schema: unknown }).schema
        : undefined;
      operations[method] = {
        ...rest,
        consumes: requestBody ? Object.keys(requestBody.content) : undefined,
        produces: ['application/json', 'application/yaml'],
        parameters: [
          ...parameters.map(({ schema, ...p }: any) => ({
            ...p,
            type: schema.type,
          })),
          ...(bodySchema
            ? [{ name: 'body', in: 'body', required: true, schema: bodySchema }]
            : []),
        ],
        responses: Object.fromEntries(
          Object.entries(responses as Record<string, any>).map(
            ([code, response]) => [
              code,
              {
                description: response.description,
                ...(response.content
                  ? {
                      schema: (
                        Object.values(response.content)[0] as {
                          schema: unknown;
                        }
                      ).schema,
                    }
                  : {}),
              },
            ],
          ),
        ),
      };
    }
    converted[path] = operations;
  }
  return converted;
}
