import { ConsoleMessage, Page, Response } from '@playwright/test';

/** A warning or error the browser logged, or an uncaught exception. */
export interface ConsoleProblem {
  kind: 'warning' | 'error' | 'pageerror';
  text: string;
  /** The script that logged it. */
  source: string;
  /** The address of the page when it was logged. */
  page?: string;
}

/** Module paths of this project's packages in the dev bundle. */
const OUR_MODULES = /plugins[/_]astro|packages[/_]app[/_]src|@airflow-portal/;

/**
 * Library warnings caused only by how the calling code uses the library;
 * they count as ours wherever they are logged from, except on the pages
 * of THEIR_TABLE_PAGES.
 */
const OUR_MISUSES = [
  /columns provided to material table are static/i,
  /table requires all rows to have an unique id/i,
  // Logged by the app for an extension of the astro plugin whose loader
  // does not render ReactRouterV6PageRouter.
  /Extension '[^']*:astro\/[^']*' uses implicit React Router v6 routing/,
];

/**
 * Pages whose tables are all another plugin's: the catalog's entity list
 * (Backstage's CatalogTable, a material-table that warns about its own
 * columns whenever its rows load). Misuse warnings there are not ours.
 */
const THEIR_TABLE_PAGES = [/\/catalog\/?(\?|#|$)/];

/**
 * Where a problem originates: the first frame of its stack or React
 * component stack (the component that warned), else the script that
 * logged it. A library deprecation warning names the library's component
 * first even when our components sit further down the stack.
 */
function originOf(problem: ConsoleProblem): string {
  const frame = /\(?((?:webpack-internal|https?):\/\/[^\s)]+)\)?/.exec(
    problem.text,
  );
  return frame?.[1] ?? problem.source;
}

/** Whether a problem originates from this project's packages. */
export function isOurs(problem: ConsoleProblem): boolean {
  const misuse = OUR_MISUSES.some(pattern => pattern.test(problem.text));
  const theirPage =
    problem.page !== undefined &&
    THEIR_TABLE_PAGES.some(pattern => pattern.test(problem.page!));
  return (misuse && !theirPage) || OUR_MODULES.test(originOf(problem));
}

/**
 * A response of our backend's Astro API (`/api/astro/`) with an error
 * status: the UI asked for something that is not there, not allowed or
 * not valid. Ours unless the test provoked it (see `ExpectedFailure`).
 */
export interface FailedRequest {
  method: string;
  /** The path below `/api/astro`, without the query: `/organizations/demo`. */
  path: string;
  /** The full address, for the report. */
  url: string;
  status: number;
  /** The address of the page that made the request. */
  page?: string;
  /** When the response came (`Date.now()`). */
  at?: number;
}

/**
 * A failed Astro API request a test provokes on purpose (a 409 on a taken
 * name, the 404 of a missing Deployment's page...): method, path and
 * status, all three, so that it excuses that one request and no other.
 */
export interface ExpectedFailure {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * The path below `/api/astro`, without the query: equal to a string,
   * or matched by a RegExp (anchor it: `/^\/organizations\/demo$/`).
   */
  path: string | RegExp;
  status: number;
}

/** An expected failure as the guard keeps it: from when it was declared. */
export interface DeclaredFailure extends ExpectedFailure {
  /** When the test declared it (`Date.now()`); earlier failures stay ours. */
  since?: number;
}

const ASTRO_API_PATH = /^\/api\/astro(\/.*)$/;

/**
 * The Astro API path of a request address (`/organizations/demo` for
 * `http://localhost:7007/api/astro/organizations/demo?x=1`), or
 * undefined for any other address.
 */
export function astroApiPathOf(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  return ASTRO_API_PATH.exec(pathname)?.[1];
}

/** The failed Astro API request a response answers, if it is one. */
export function failedRequestOf(response: {
  url: string;
  status: number;
  method: string;
}): FailedRequest | undefined {
  const path = astroApiPathOf(response.url);
  if (path === undefined || response.status < 400) {
    return undefined;
  }
  return {
    method: response.method.toUpperCase(),
    path,
    url: response.url,
    status: response.status,
  };
}

/**
 * Whether a test declared this failed request as one it provokes, before
 * it came.
 */
export function isExpectedFailure(
  failure: FailedRequest,
  expected: readonly DeclaredFailure[],
): boolean {
  return expected.some(
    e =>
      e.method === failure.method &&
      e.status === failure.status &&
      (e.since === undefined ||
        failure.at === undefined ||
        e.since <= failure.at) &&
      (typeof e.path === 'string'
        ? e.path === failure.path
        : e.path.test(failure.path)),
  );
}

/**
 * Chromium logs every failed fetch as a console error located at the
 * request's address. For the Astro API the response itself is watched
 * (`FailedRequest`), so its console line is not counted a second time,
 * nor held against a test that expects the failure.
 */
function isAstroApiLoadFailure(problem: ConsoleProblem): boolean {
  return (
    problem.text.startsWith('Failed to load resource') &&
    astroApiPathOf(problem.source) !== undefined
  );
}

function problemOf(message: ConsoleMessage): ConsoleProblem | undefined {
  const type = message.type();
  if (type !== 'warning' && type !== 'error') {
    return undefined;
  }
  return {
    kind: type,
    text: message.text(),
    source: message.location().url,
  };
}

/**
 * Collects the console warnings and errors of a page from now on, and
 * its failed Astro API requests. `ours()` keeps the problems originating
 * from this project's packages, `others()` the rest (third-party noise,
 * for the report), `failedRequests()` the Astro API's error responses.
 */
export function watchConsole(page: Page) {
  const problems: ConsoleProblem[] = [];
  const failures: FailedRequest[] = [];
  page.on('console', message => {
    const problem = problemOf(message);
    if (problem && !isAstroApiLoadFailure(problem)) {
      problems.push({ ...problem, page: page.url() });
    }
  });
  page.on('response', (response: Response) => {
    const failure = failedRequestOf({
      url: response.url(),
      status: response.status(),
      method: response.request().method(),
    });
    if (failure) {
      failures.push({ ...failure, page: page.url(), at: Date.now() });
    }
  });
  page.on('pageerror', error => {
    problems.push({
      kind: 'pageerror',
      text: `${error.message}\n${error.stack ?? ''}`,
      source: '',
      page: page.url(),
    });
  });
  return {
    ours: () => problems.filter(isOurs),
    /** What other packages logged: reported, not failed on. */
    others: () => problems.filter(p => !isOurs(p)),
    failedRequests: () => [...failures],
    /** Forgets what was collected so far. */
    reset: () => {
      problems.length = 0;
      failures.length = 0;
    },
  };
}

/** One line per problem, for an assertion message. */
export function describeProblems(problems: ConsoleProblem[]): string[] {
  return problems.map(
    p =>
      `${p.kind}${p.page ? ` on ${p.page}` : ''}: ${p.text
        .split('\n')
        .slice(0, 3)
        .join(' | ')}`,
  );
}

/** One line per failed request, for an assertion message. */
export function describeFailedRequests(failures: FailedRequest[]): string[] {
  return failures.map(
    f =>
      `failed request${f.page ? ` on ${f.page}` : ''}: ${f.method} ${
        f.url
      } answered ${f.status}`,
  );
}
