import { AirflowHealthResponse } from './AirflowHealth';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * The page a simulated Deployment's "Open Airflow" link shows: no Airflow
 * runs in the simulator, so it says so and shows the simulated health.
 */
export function renderAirflowUiPage(
  namespace: string,
  health: AirflowHealthResponse,
  dags: {
    dags: Array<{ dagId: string; isPaused: boolean }>;
    importErrors: string[];
  } = { dags: [], importErrors: [] },
): string {
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
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Simulated Airflow — ${escapeHtml(
    namespace,
  )}</title></head>
<body style="font-family: sans-serif; margin: 2rem">
<h1>Simulated Airflow: ${escapeHtml(namespace)}</h1>
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
${errorItems ? `<h3>Import errors</h3><ul>${errorItems}</ul>` : ''}
</body>
</html>
`;
}
