import { ConsoleMessage, Page } from '@playwright/test';

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
 * Collects the console warnings and errors of a page from now on.
 * `ours()` keeps those originating from this project's packages,
 * `others()` the rest (third-party noise, for the report).
 */
export function watchConsole(page: Page) {
  const problems: ConsoleProblem[] = [];
  page.on('console', message => {
    const problem = problemOf(message);
    if (problem) {
      problems.push({ ...problem, page: page.url() });
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
    /** Forgets what was collected so far. */
    reset: () => {
      problems.length = 0;
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
