import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { gitDagBundleSummary } from '../DeploymentForm/diff';

function hours(seconds: number) {
  return `${seconds} s (${Math.round((seconds / 3600) * 10) / 10} h)`;
}

/** The settings and placement of a Deployment, read-only. */
export function SettingsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const { settings } = deployment;
  const git = gitDagBundleSummary(settings.gitDagBundle);
  const metadata: Record<string, unknown> = {
    'Airflow version': settings.airflowVersion,
    Executor: settings.executor === 'CELERY' ? 'Celery' : 'Kubernetes',
    Scheduler: `${settings.schedulerSize.toLowerCase().replace('_', ' ')}${
      settings.highAvailability ? ', high availability (2)' : ''
    }`,
    'Worker queues':
      settings.workerQueues.length === 0
        ? 'none (Kubernetes executor)'
        : settings.workerQueues.map(
            q =>
              `${q.name}${q.isDefault ? ' (default)' : ''}: ${q.workerSize}, ${
                q.minWorkers
              }–${q.maxWorkers} workers × ${q.concurrency}`,
          ),
    'Grace period': hours(settings.workerGracePeriodSeconds),
    'Resource quota': `${settings.resourceQuota.cpu} CPU, ${settings.resourceQuota.memory}`,
    'Default task pod size': `${settings.defaultTaskPodSize.cpu} CPU, ${settings.defaultTaskPodSize.memory}`,
    Workspace: deployment.workspace,
    Cluster: deployment.cluster,
    Namespace: deployment.namespace,
    Generation: `${deployment.generation} (applied: ${deployment.observedGeneration})`,
    Deploys: settings.isCicdEnforced
      ? 'only from CI/CD (API tokens)'
      : 'from people and API tokens',
    'DAG source': git ? `Git: ${git}` : 'DAG deploys',
    Contacts:
      settings.contactEmails.length > 0
        ? settings.contactEmails.join(', ')
        : 'none',
  };
  return (
    <InfoCard title="Settings">
      <StructuredMetadataTable metadata={metadata} dense />
    </InfoCard>
  );
}
