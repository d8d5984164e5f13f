/**
 * Commands and requests shown next to a Deployment's code, so that people
 * can deploy from a terminal or a pipeline. The commands are those of the
 * `airflow-portal` CLI (packages/cli); the requests are the REST API's.
 */
export interface DeployHints {
  /** Deploy the DAGs folder of the current project. */
  cliDags: string;
  /** Deploy an image built FROM the runtime image. */
  cliImage: string;
  /** The same image deploy as an HTTP request with an API token. */
  httpImage: string;
  /** A DAG deploy as an HTTP request with an API token. */
  httpDags: string;
}

/** The environment variables the CLI reads in CI (instead of `login`). */
export const CLI_ENV = {
  url: 'AIRFLOW_PORTAL_URL',
  token: 'AIRFLOW_PORTAL_TOKEN',
} as const;

/** Hints for a Deployment whose API is at `apiBaseUrl` (`…/api/astro`). */
export function deployHints(options: {
  organization: string;
  deployment: string;
  runtimeImage: string;
  apiBaseUrl?: string;
}): DeployHints {
  const { organization, deployment, runtimeImage } = options;
  const base = options.apiBaseUrl ?? 'https://<portal>/api/astro';
  const portal = base.replace(/\/api\/astro\/?$/, '');
  const deploys = `${base}/organizations/${organization}/deployments/${deployment}/deploys`;
  const target = `${organization}/${deployment}`;
  const image = 'registry.example.com/team/airflow:1.0';
  const token = `$${CLI_ENV.token}`;
  return {
    cliDags: [
      `# From the project folder that holds dags/ (in CI: ${CLI_ENV.url}=${portal} and ${CLI_ENV.token}=<API token>)`,
      `airflow-portal deploy ${target} --dags`,
    ].join('\n'),
    cliImage: [
      `# Dockerfile: FROM ${runtimeImage}`,
      `docker build -t ${image} . && docker push ${image}`,
      `airflow-portal deploy ${target} --image ${image}`,
    ].join('\n'),
    httpImage: [
      `curl -X POST "${deploys}" \\`,
      `  -H "Authorization: Bearer ${token}" \\`,
      "  -H 'Content-Type: application/json' \\",
      `  -d '{"type":"IMAGE","image":"${image}","origin":"CI"}'`,
    ].join('\n'),
    httpDags: [
      'tar -czf dags.tar.gz -C dags .',
      `curl -X POST "${deploys}?type=DAG&origin=CI&checksum=sha256:$(sha256sum dags.tar.gz | cut -d' ' -f1)" \\`,
      `  -H "Authorization: Bearer ${token}" \\`,
      "  -H 'Content-Type: application/gzip' \\",
      '  --data-binary @dags.tar.gz',
    ].join('\n'),
  };
}
