import { AirflowRole } from '@airflow-portal/plugin-astro-common';
import { AirflowHealthResponse } from './AirflowHealth';
import { AirflowIdentity } from './portalTokens';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** FAB's name of a role, as Airflow's UI shows it. */
const ROLE_TITLES: Record<AirflowRole, string> = {
  ADMIN: 'Admin',
  OP: 'Op',
  USER: 'User',
  VIEWER: 'Viewer',
};

function page(namespace: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Simulated Airflow — ${escapeHtml(
    namespace,
  )}</title></head>
<body style="font-family: sans-serif; margin: 2rem">
<h1>Simulated Airflow: ${escapeHtml(namespace)}</h1>
${body}
</body>
</html>
`;
}

/** Who is signed in and which simulated pod answered. */
export interface AirflowUiViewer {
  identity: AirflowIdentity;
  pod: string;
}

/**
 * The page a simulated Deployment's "Open Airflow" link shows once signed
 * in: no Airflow runs in the simulator, so it says so and shows who is
 * signed in, the pod that served the request, the simulated health and
 * DAGs.
 */
export function renderAirflowUiPage(
  namespace: string,
  health: AirflowHealthResponse,
  dags: {
    dags: Array<{ dagId: string; isPaused: boolean }>;
    importErrors: string[];
  },
  viewer: AirflowUiViewer,
): string {
  const { identity } = viewer;
  const dagRows = dags.dags
    .map(
      dag =>
        `<tr><th scope="row">${escapeHtml(dag.dagId)}</th><td>${
          dag.isPaused ? 'paused' : 'active'
        }</td></tr>`,
    )
    .join('');
  const errorItems = dags.importErrors
    .map(file => `<li>${escapeHtml(file)}</li>`)
    .join('');
  const rows = Object.entries(health)
    .map(
      ([component, value]) =>
        `<tr><th scope="row">${escapeHtml(component)}</th><td>${escapeHtml(
          String(value?.status ?? 'never ran'),
        )}</td></tr>`,
    )
    .join('');
  return page(
    namespace,
    `<p id="signed-in">Signed in as ${escapeHtml(
      identity.name ?? identity.sub,
    )} (${escapeHtml(identity.sub)}) · role ${ROLE_TITLES[identity.role]}</p>
<p id="served-by">Served by pod <code>${escapeHtml(viewer.pod)}</code></p>
<p>This Deployment runs on the built-in Kubernetes <strong>simulator</strong>:
no Airflow process runs, so there is no Airflow UI. On a real cluster this
link opens the Deployment's Airflow UI. The simulated health follows the
simulated pods:</p>
<table><caption>Airflow health</caption><tbody>${rows}</tbody></table>
<h2>Simulated DAGs</h2>
<p>Found in the DAG bundle the simulated DAG processor serves, by the
simulator's heuristics (no Python runs).</p>
${
  dagRows
    ? `<table><caption>DAGs</caption><tbody>${dagRows}</tbody></table>`
    : '<p>No DAGs.</p>'
}
${errorItems ? `<h3>Import errors</h3><ul>${errorItems}</ul>` : ''}`,
  );
}

/**
 * The page of a request the simulated Airflow refuses or cannot serve:
 * a heading, the reason, and (for a missing or ended session) the way back
 * to the portal's page of the Deployment, where "Open Airflow" signs in.
 */
export function renderAirflowNoticePage(
  namespace: string,
  notice: { heading: string; reason: string; portalUrl?: string },
): string {
  const link = notice.portalUrl
    ? `<p><a href="${escapeHtml(
        notice.portalUrl,
      )}">Open the Deployment in the portal</a> and choose “Open Airflow”.</p>`
    : '';
  return page(
    namespace,
    `<h2>${escapeHtml(notice.heading)}</h2>
<p id="reason">${escapeHtml(notice.reason)}</p>
${link}`,
  );
}
