import {
  ApiRouter,
  createValidatedOpenApiRouter,
} from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import { ErrorRequestHandler, RequestHandler } from 'express';
import Router from 'express-promise-router';
import * as OpenApiValidator from 'express-openapi-validator';

interface ValidatorIssue {
  path?: string;
  message?: string;
  errorCode?: string;
}

const FRIENDLY_MESSAGES: Array<[RegExp, string]> = [
  [/^must NOT have additional properties$/, 'is not a known field'],
  [/^must have required property/, 'is required'],
  [/^Unknown query parameter/, 'is not a known query parameter'],
];

/**
 * Renders a validator path such as `/body/settings/workerQueues/0/gpu` as
 * the field path users know: `settings.workerQueues[0].gpu`; query and
 * header fields keep their location, e.g. `query.limit`.
 */
export function formatValidatorPath(path: string): string {
  const [location, ...segments] = path.replace(/^\.?\/?/, '').split(/[/.]/);
  let field = '';
  for (const raw of segments) {
    const segment = decodeURIComponent(
      raw.replace(/~1/g, '/').replace(/~0/g, '~'),
    );
    if (/^\d+$/.test(segment)) {
      field += `[${segment}]`;
    } else {
      field += field ? `.${segment}` : segment;
    }
  }
  if (location === 'body') {
    return field || 'body';
  }
  if (location === 'headers') {
    return field;
  }
  return field ? `${location}.${field}` : location;
}

function describeIssue(issue: ValidatorIssue): string {
  const message = issue.message ?? 'is invalid';
  const friendly =
    FRIENDLY_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ??
    message;
  return issue.path
    ? `${formatValidatorPath(issue.path)}: ${friendly}`
    : friendly;
}

/** Turns request validation failures into InputErrors naming each field. */
const validationErrors: ErrorRequestHandler = (error, _req, _res, next) => {
  const issues: ValidatorIssue[] | undefined = error?.errors;
  if (typeof error?.status !== 'number' || error.status >= 500) {
    next(error);
    return;
  }
  if (error.status === 415) {
    next(
      new InputError(
        `Content-Type: ${error.message}; /openapi.json lists the media types each route accepts`,
      ),
    );
    return;
  }
  next(
    new InputError(
      Array.isArray(issues) && issues.length > 0
        ? issues.map(describeIssue).join('; ')
        : String(error.message),
    ),
  );
};

/**
 * An Express router typed and validated by an OpenAPI 3.1 document, like
 * `createValidatedOpenApiRouter` of `@backstage/backend-openapi-utils` with
 * the same validator, but whose 400 answers name each offending field path
 * (`settings.workerQueues[0].gpu: is not a known field`). The document is
 * served at `/openapi.json`.
 */
export function createOpenApiRouter<
  TSpec extends Parameters<typeof createValidatedOpenApiRouter>[0],
>(spec: TSpec, middleware: RequestHandler[]): ApiRouter<TSpec> {
  const router = Router();
  router.use(middleware);
  router.use(
    OpenApiValidator.middleware({
      // The validator's document type is mutable; the spec is the same JSON.
      apiSpec: spec as Parameters<
        typeof OpenApiValidator.middleware
      >[0]['apiSpec'],
      validateRequests: {
        coerceTypes: false,
        allowUnknownQueryParameters: false,
      },
      validateResponses: false,
      ignoreUndocumented: true,
      useRequestUrl: true,
    }),
  );
  router.use(validationErrors);
  router.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  return router as ApiRouter<TSpec>;
}
