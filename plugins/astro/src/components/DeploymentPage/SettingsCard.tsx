import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { Deployment } from '@airflow-portal/plugin-astro-common';

function hours(seconds: number) {
  return `${seconds} s (${Math.round((seconds / 3600) * 10) / 10} h)`;
}

/** The settings and placement of a Deployment, read-only. */
export function SettingsCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const { settings } = deployment;
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
    Workspace: deployment.workspace,
    Cluster: deployment.cluster,
    Namespace: deployment.namespace,
    Generation: `${deployment.generation} (applied: ${deployment.observedGeneration})`,
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
