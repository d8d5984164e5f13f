/**
 * Writes the typed client of the Astro API: one method per operation of the
 * OpenAPI document, named by its operationId. Each method calls
 * openapi-fetch with the operation's path template, so the compiler checks
 * every call against the generated `paths` types; request and response
 * types name the generated `operations` types.
 */

type Json = { [key: string]: any };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** What the generator needs to know of one operation. */
export interface Operation {
  id: string;
  method: (typeof METHODS)[number];
  path: string;
  description: string;
  parameters: Json[];
  requestBody?: {
    required: boolean;
    /** The media types it takes, each with the schema it names, if any. */
    media: Array<{ mediaType: string; schemaName?: string; binary: boolean }>;
  };
  /** Success status codes with their media type (undefined: no body). */
  successes: Array<{ status: string; mediaType?: string; schemaName?: string }>;
}

/** The component a media type's schema refers to, if it is a reference. */
function schemaName(content: Json | undefined, mediaType: string | undefined) {
  const ref = mediaType ? content?.[mediaType]?.schema?.$ref : undefined;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/')
    ? ref.slice('#/components/schemas/'.length)
    : undefined;
}

function isJson(mediaType: string | undefined) {
  return mediaType === 'application/json';
}

/** How the client sends a body of this media type. */
function bodyKind(mediaType: string, binary: boolean) {
  if (isJson(mediaType)) {
    return 'json';
  }
  return binary ? 'binary' : 'text';
}

function resolve(document: Json, value: Json): Json {
  if (typeof value.$ref !== 'string') {
    return value;
  }
  const target = value.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce(
      (node: Json | undefined, segment: string) => node?.[segment],
      document,
    );
  if (!target) {
    throw new Error(`openapi.yaml: unresolved reference ${value.$ref}`);
  }
  return resolve(document, target);
}

/** The operations of a document, in document order. */
export function listOperations(document: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) {
        continue;
      }
      if (!operation.operationId) {
        throw new Error(`openapi.yaml: ${method} ${path} has no operationId`);
      }
      const body = operation.requestBody
        ? resolve(document, operation.requestBody)
        : undefined;
      const bodyTypes = Object.keys(body?.content ?? {});
      if (bodyTypes.filter(isJson).length > 1) {
        throw new Error(
          `openapi.yaml: ${operation.operationId} takes more than one JSON media type`,
        );
      }
      operations.push({
        id: operation.operationId,
        method,
        path,
        description: operation.description ?? '',
        parameters: (operation.parameters ?? []).map((p: Json) =>
          resolve(document, p),
        ),
        requestBody: body
          ? {
              required: Boolean(body.required),
              media: bodyTypes.map(mediaType => ({
                mediaType,
                schemaName: schemaName(body.content, mediaType),
                binary: body.content[mediaType]?.schema?.format === 'binary',
              })),
            }
          : undefined,
        successes: Object.entries<Json>(operation.responses ?? {})
          .filter(([status]) => /^2\d\d$/.test(status))
          .map(([status, response]) => {
            const content = resolve(document, response).content;
            const mediaType = Object.keys(content ?? {})[0];
            return {
              status,
              mediaType,
              schemaName: schemaName(content, mediaType),
            };
          }),
      });
    }
  }
  return operations;
}

function requestType(operation: Operation): string {
  const op = `operations['${operation.id}']`;
  const fields: string[] = [];
  for (const location of ['path', 'query', 'header'] as const) {
    const parameters = operation.parameters.filter(p => p.in === location);
    if (parameters.length > 0) {
      const required = parameters.some(p => p.required);
      fields.push(
        `${location}${
          required ? '' : '?'
        }: ${op}['parameters']['${location}'];`,
      );
    }
  }
  const body = operation.requestBody;
  if (body) {
    const types = body.media.map(({ mediaType, schemaName: name, binary }) => {
      if (isJson(mediaType)) {
        return name
          ? `components['schemas']['${name}']`
          : `NonNullable<${op}['requestBody']>['content']['application/json']`;
      }
      return binary ? 'Blob | ArrayBuffer | Uint8Array' : 'string';
    });
    fields.push(`body${body.required ? '' : '?'}: ${types.join(' | ')};`);
  }
  return fields.length > 0 ? `{ ${fields.join(' ')} }` : '';
}

function responseType(operation: Operation): string {
  const types = new Set<string>();
  for (const { status, mediaType, schemaName: name } of operation.successes) {
    if (isJson(mediaType)) {
      types.add(
        name
          ? `components['schemas']['${name}']`
          : `operations['${operation.id}']['responses'][${status}]['content']['application/json']`,
      );
    } else if (mediaType) {
      types.add('string');
    } else {
      types.add('void');
    }
  }
  return [...types].join(' | ') || 'void';
}

function docComment(operation: Operation): string {
  return `/** ${operation.description.replace(
    /\*\//g,
    '*\\/',
  )} (\`${operation.method.toUpperCase()} ${operation.path}\`) */`;
}

function signature(operation: Operation): string {
  const request = requestType(operation);
  const requestParameter = request
    ? `request: ${request}`
    : 'request?: Record<string, never>';
  return `${
    operation.id
  }(${requestParameter}, options?: AstroRequestOptions): Promise<${responseType(
    operation,
  )}>`;
}

function implementation(operation: Operation): string {
  const request = requestType(operation);
  const params = (['path', 'query', 'header'] as const)
    .filter(location => operation.parameters.some(p => p.in === location))
    .map(location => `${location}: request.${location}`);
  const init: string[] = [];
  if (params.length > 0) {
    init.push(`params: { ${params.join(', ')} }`);
  }
  const body = operation.requestBody;
  const json = body?.media.every(m => isJson(m.mediaType)) ?? true;
  if (body && json) {
    init.push('body: request.body');
  } else if (body) {
    // Not (only) JSON: the base picks the media type from the body.
    const media = body.media.map(m => ({
      mediaType: m.mediaType,
      kind: bodyKind(m.mediaType, m.binary),
    }));
    init.push(
      `...this.payload(request.body, ${JSON.stringify(media)}, options)`,
    );
  }
  const text = operation.successes.some(
    s => s.mediaType && !isJson(s.mediaType),
  );
  if (text) {
    init.push("parseAs: 'text'");
  }
  const returnsBody = operation.successes.some(s => s.mediaType);
  const call = `client.${operation.method.toUpperCase()}('${
    operation.path
  }', { ...this.init(options), ${init.join(', ')} })`;
  const parameter = request
    ? `request: ${request}`
    : '_request?: Record<string, never>';
  return [
    `  ${docComment(operation)}`,
    `  async ${
      operation.id
    }(${parameter}, options?: AstroRequestOptions): Promise<${responseType(
      operation,
    )}> {`,
    '    const client = await this.fetchClient();',
    returnsBody ? `    return this.data(await ${call});` : `    await ${call};`,
    '  }',
  ].join('\n');
}

/** The client module for the document's operations. */
export function renderClientModule(document: Json): string {
  const operations = listOperations(document);
  return [
    '// Generated by `yarn generate` from plugins/astro-backend/src/schema/openapi.yaml; do not edit.',
    "// openapi-fetch names its methods after HTTP's: client.GET(…).",
    '/* eslint-disable new-cap */',
    "import type { components, operations } from './openapi';",
    "import { AstroApiClientBase, AstroRequestOptions } from '../client/AstroApiClientBase';",
    '',
    '/**',
    ' * The Astro REST API: one method per operation of its OpenAPI document.',
    ' * Failed requests reject with a `ResponseError` of `@backstage/errors`.',
    ' *',
    ' * @public',
    ' */',
    'export interface AstroApi {',
    ...operations.map(op => `  ${docComment(op)}\n  ${signature(op)};`),
    '}',
    '',
    '/**',
    ' * {@link AstroApi} over HTTP: finds the backend through discovery and',
    ' * sends requests with the given fetch (the frontend passes its `fetchApi`,',
    " * which adds the user's token; backend modules pass a token per call).",
    ' *',
    ' * @public',
    ' */',
    'export class AstroApiClient extends AstroApiClientBase implements AstroApi {',
    operations.map(implementation).join('\n\n'),
    '}',
    '',
  ].join('\n');
}
