import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import { AirflowAccessService } from './AirflowAccessService';

/**
 * The headers that carry the backend's service credential to a
 * Deployment's Airflow through the Kubernetes API server's service proxy.
 * The API server consumes `Authorization` itself, so the token travels in
 * {@link AIRFLOW_ACCESS.proxyTokenHeader}, which the rendered auth code
 * reads like a bearer token.
 */
export class AirflowServiceCredentials {
  constructor(
    private readonly access: Pick<AirflowAccessService, 'serviceToken'>,
  ) {}

  async headersFor(deploymentId: string): Promise<Record<string, string>> {
    const { value } = await this.access.serviceToken(deploymentId);
    return { [AIRFLOW_ACCESS.proxyTokenHeader]: value };
  }
}
