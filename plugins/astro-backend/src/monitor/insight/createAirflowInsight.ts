import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { WatchedClusters } from '../../engine/WatchedClusters';
import { DeploymentService, MutationRunner } from '../../service';
import { AirflowCredentialHeaders } from '../AirflowHealthMonitor';
import { AirflowConnections } from './AirflowConnections';
import { AirflowInsightService } from './AirflowInsightService';
import { InsightCache } from './InsightCache';

/** The default of `astro.monitor.airflowInsight.cacheSeconds`. */
export const DEFAULT_INSIGHT_CACHE_SECONDS = 15;

/** Reads `astro.monitor.airflowInsight` and builds the insight service. */
export function createAirflowInsight(options: {
  config: Config;
  deployments: Pick<DeploymentService, 'getRecord'>;
  watched: WatchedClusters;
  credentials: AirflowCredentialHeaders;
  mutations: MutationRunner;
}): AirflowInsightService {
  const key = 'astro.monitor.airflowInsight.cacheSeconds';
  const cacheSeconds =
    options.config.getOptionalNumber(key) ?? DEFAULT_INSIGHT_CACHE_SECONDS;
  if (!(cacheSeconds >= 0)) {
    throw new InputError(`${key} must be a number of seconds, 0 or more`);
  }
  return new AirflowInsightService({
    getRecord: (org, dep) => options.deployments.getRecord(org, dep),
    connections: new AirflowConnections({
      watched: options.watched,
      credentials: options.credentials,
    }),
    mutations: options.mutations,
    cache: new InsightCache(cacheSeconds * 1000),
  });
}
