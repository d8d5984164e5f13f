import {
  createContext,
  ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Deployment,
  DeploymentComponents,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';

type Lookup = (deployment: Deployment) => Promise<DeploymentComponents | null>;

const WorkerCountsContext = createContext<Lookup | undefined>(undefined);

/**
 * Shares the component lookups of a table's rows: each Deployment is asked
 * once per status and generation, so a table that refreshes every few
 * seconds asks again only for rows that changed. A Deployment being
 * deleted is not asked (its workers are going, and its record may be gone
 * by the time the request arrives: a 404). A failed lookup shows no
 * current count.
 */
export function WorkerCountsProvider(props: { children: ReactNode }) {
  const astroApi = useApi(astroApiRef);
  const cache = useRef(new Map<string, Promise<DeploymentComponents | null>>());
  const lookup = useMemo<Lookup>(
    () => deployment => {
      if (deployment.status === 'DELETING') {
        return Promise.resolve(null);
      }
      const key = [
        deployment.organization,
        deployment.name,
        deployment.status,
        deployment.observedGeneration,
      ].join('/');
      let found = cache.current.get(key);
      if (!found) {
        found = astroApi
          .getDeploymentComponents({
            path: { org: deployment.organization, dep: deployment.name },
          })
          .catch(() => null);
        cache.current.set(key, found);
      }
      return found;
    },
    [astroApi],
  );
  return (
    <WorkerCountsContext.Provider value={lookup}>
      {props.children}
    </WorkerCountsContext.Provider>
  );
}

/** The most workers a Deployment's queues may scale to together. */
export function maxWorkersOf(deployment: Deployment): number {
  return deployment.settings.workerQueues.reduce(
    (sum, queue) => sum + queue.maxWorkers,
    0,
  );
}

/**
 * "3 / 10": workers running now (when the cluster reported them) and the
 * most the queues may scale to.
 */
export function WorkerCounts(props: { deployment: Deployment }) {
  const { deployment } = props;
  const lookup = useContext(WorkerCountsContext);
  const [current, setCurrent] = useState<number | undefined>();
  useEffect(() => {
    let mounted = true;
    lookup?.(deployment).then(components => {
      if (mounted && components) {
        setCurrent(
          components.workerQueues.reduce((n, q) => n + q.readyWorkers, 0),
        );
      }
    });
    return () => {
      mounted = false;
    };
  }, [lookup, deployment]);
  if (deployment.settings.executor === 'KUBERNETES') {
    return <>Task pods</>;
  }
  const max = maxWorkersOf(deployment);
  return (
    <span
      aria-label={
        current === undefined
          ? `at most ${max} workers; current count not reported`
          : `${current} of at most ${max} workers`
      }
    >
      {current ?? '–'} / {max}
    </span>
  );
}
