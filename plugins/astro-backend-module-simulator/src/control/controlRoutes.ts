/**
 * The HTTP form of {@link SimulatorControl}, under `/simulator/v1`:
 *
 * - `GET /info`
 * - `GET /kubeconfig` (YAML, for the HTTPS endpoint)
 * - `GET /stats`, `DELETE /stats`
 * - `GET|PUT /namespaces/{ns}/queues/{queue}` with `{"queued":n,"running":n}`
 * - `PUT /namespaces/{ns}/components/{component}` with `{"crashLoop":true}`
 *   and/or `{"heartbeatFrozen":true}` (the pods stay Ready, the Airflow
 *   heartbeat stops)
 * - `POST /namespaces/{ns}/jobs/fail-next` with `{"component":"migrate-database"}`
 * - `POST /jobs/fail-next` (any namespace)
 * - `GET|PUT|DELETE /faults` with {@link FaultSettings}
 * - `POST /faults/drop-watches`, `POST /faults/close-watches`
 * - `POST /faults/unavailable` with `{"durationMs":5000,"mode":"refuse"}`
 * - `PUT /keda` with `{"enabled":false}`
 * - `POST /compact`
 * - `GET /dag-sync`, `GET /namespaces/{ns}/dag-sync`
 * - `GET /namespaces/{ns}/pods/{pod}/dag-sync` (with the served files)
 * - `POST /dag-sync/sync-now`
 * - `GET /airflow/clock`, `POST /airflow/clock` with
 *   `{"advanceSeconds":3600}` or `{"now":"2026-01-01T00:00:00Z","frozen":true}`
 * - `GET|PUT|DELETE /airflow/namespaces/{ns}/dags/{dagId}/outcome` with
 *   `{"state":"failed","durationSeconds":30}`
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { FaultSettings, parseFaultSettings } from '../faults/FaultInjector';
import { parseJson, readBody, sendJson } from '../server/http';
import { isRecord, num, str } from '../store/objects';
import { DagRunOutcomeState } from '../airflow/AirflowRuns';
import { SimulatorControl } from './SimulatorControl';

/** What `GET /simulator/v1/info` answers. */
export interface SimulatorInfo {
  driver: 'simulator';
  title: string;
  keda: boolean;
  kubernetesVersion: string;
}

class ControlInputError extends Error {}

function requireRecord(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) {
    throw new ControlInputError('the body must be a JSON object');
  }
  return body;
}

function requireCount(body: Record<string, unknown>, field: string): number {
  const value = num(body[field]) ?? 0;
  if (!Number.isInteger(value) || value < 0) {
    throw new ControlInputError(`${field} must be a non-negative integer`);
  }
  return value;
}

/** Serves one control request; answers 404 for unknown paths. */
export async function handleControlRequest(
  control: SimulatorControl,
  about: { info(): SimulatorInfo; kubeconfig(): string },
  segments: string[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = segments.join('/');
  const body = async () =>
    method === 'GET' || method === 'DELETE'
      ? undefined
      : parseJson(await readBody(req));
  try {
    const [first, namespace, what, name, action] = segments;
    if (path === 'info' && method === 'GET') {
      sendJson(res, 200, about.info());
    } else if (path === 'kubeconfig' && method === 'GET') {
      const text = about.kubeconfig();
      res.writeHead(200, {
        'Content-Type': 'application/yaml; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
      });
      res.end(text);
    } else if (path === 'stats' && method === 'GET') {
      sendJson(res, 200, control.stats());
    } else if (path === 'stats' && method === 'DELETE') {
      control.resetStats();
      sendJson(res, 200, control.stats());
    } else if (first === 'namespaces' && what === 'queues' && name && !action) {
      if (method === 'PUT') {
        const input = requireRecord(await body());
        control.setQueueDepth(namespace, name, {
          queued: requireCount(input, 'queued'),
          running: requireCount(input, 'running'),
        });
      } else if (method !== 'GET') {
        throw new ControlInputError(`${method} is not supported here`);
      }
      sendJson(res, 200, control.getQueueDepth(namespace, name));
    } else if (
      first === 'namespaces' &&
      what === 'components' &&
      name &&
      !action &&
      method === 'PUT'
    ) {
      const input = requireRecord(await body());
      const { crashLoop, heartbeatFrozen } = input;
      if (crashLoop === undefined && heartbeatFrozen === undefined) {
        throw new ControlInputError(
          'give crashLoop or heartbeatFrozen (booleans)',
        );
      }
      if (crashLoop !== undefined && typeof crashLoop !== 'boolean') {
        throw new ControlInputError('crashLoop must be a boolean');
      }
      if (
        heartbeatFrozen !== undefined &&
        typeof heartbeatFrozen !== 'boolean'
      ) {
        throw new ControlInputError('heartbeatFrozen must be a boolean');
      }
      if (crashLoop !== undefined) {
        control.setCrashLoop(namespace, name, crashLoop);
      }
      if (heartbeatFrozen !== undefined) {
        control.freezeHeartbeat(namespace, name, heartbeatFrozen);
      }
      sendJson(res, 200, {
        namespace,
        component: name,
        ...(crashLoop !== undefined ? { crashLoop } : {}),
        ...(heartbeatFrozen !== undefined ? { heartbeatFrozen } : {}),
      });
    } else if (
      ((first === 'namespaces' && what === 'jobs' && name === 'fail-next') ||
        path === 'jobs/fail-next') &&
      method === 'POST'
    ) {
      const input = (await body()) ?? {};
      const component =
        str(requireRecord(input).component) ?? 'migrate-database';
      const scope = first === 'namespaces' ? namespace : undefined;
      control.failNextJob({ namespace: scope, component });
      sendJson(res, 202, { namespace: scope ?? null, component });
    } else if (path === 'faults' && method === 'GET') {
      sendJson(res, 200, control.faults());
    } else if (path === 'faults' && method === 'PUT') {
      let settings: FaultSettings;
      try {
        settings = parseFaultSettings(await body());
      } catch (error) {
        throw new ControlInputError(
          error instanceof Error ? error.message : String(error),
        );
      }
      control.setFaults(settings);
      sendJson(res, 200, control.faults());
    } else if (path === 'faults' && method === 'DELETE') {
      control.clearFaults();
      sendJson(res, 200, control.faults());
    } else if (path === 'faults/drop-watches' && method === 'POST') {
      sendJson(res, 200, { dropped: control.dropWatches() });
    } else if (path === 'faults/close-watches' && method === 'POST') {
      sendJson(res, 200, { closed: control.closeWatches() });
    } else if (path === 'faults/unavailable' && method === 'POST') {
      const input = requireRecord(await body());
      const durationMs = num(input.durationMs);
      const mode = input.mode ?? 'refuse';
      if (durationMs === undefined || durationMs < 0) {
        throw new ControlInputError('durationMs must be a non-negative number');
      }
      if (mode !== 'refuse' && mode !== 'error') {
        throw new ControlInputError('mode must be "refuse" or "error"');
      }
      sendJson(res, 202, { durationMs, mode });
      // Go down only once the answer is out.
      res.on('finish', () => {
        control.makeUnavailable(durationMs, mode).catch(() => undefined);
      });
    } else if (path === 'keda' && method === 'PUT') {
      const input = requireRecord(await body());
      if (typeof input.enabled !== 'boolean') {
        throw new ControlInputError('enabled must be a boolean');
      }
      control.setKeda(input.enabled);
      sendJson(res, 200, { enabled: input.enabled });
    } else if (path === 'dag-sync' && method === 'GET') {
      sendJson(res, 200, { pods: control.dagSyncStatus() });
    } else if (
      first === 'namespaces' &&
      what === 'dag-sync' &&
      !name &&
      method === 'GET'
    ) {
      sendJson(res, 200, { pods: control.dagSyncStatus(namespace) });
    } else if (
      first === 'namespaces' &&
      what === 'pods' &&
      name &&
      action === 'dag-sync' &&
      segments.length === 5 &&
      method === 'GET'
    ) {
      const status = control.podDagSync(namespace, name);
      if (!status) {
        sendJson(res, 404, {
          error: {
            name: 'NotFoundError',
            message: `pod ${namespace}/${name} has no simulated DAG sync`,
          },
        });
        return;
      }
      const files = control.podBundleFiles(namespace, name);
      sendJson(res, 200, {
        ...status,
        paths: files ? [...files.keys()] : [],
      });
    } else if (path === 'dag-sync/sync-now' && method === 'POST') {
      sendJson(res, 200, { synced: await control.syncDagsNow() });
    } else if (path === 'airflow/clock' && method === 'GET') {
      sendJson(res, 200, control.airflowClock());
    } else if (path === 'airflow/clock' && method === 'POST') {
      const input = requireRecord(await body());
      sendJson(
        res,
        200,
        control.setAirflowClock({
          advanceSeconds: input.advanceSeconds as number | undefined,
          now: input.now as string | undefined,
          frozen: input.frozen as boolean | undefined,
        }),
      );
    } else if (
      first === 'airflow' &&
      namespace === 'namespaces' &&
      segments.length === 6 &&
      segments[3] === 'dags' &&
      segments[5] === 'outcome'
    ) {
      const ns = segments[2];
      const dagId = segments[4];
      if (method === 'GET') {
        sendJson(res, 200, control.dagOutcome(ns, dagId));
      } else if (method === 'PUT') {
        const input = requireRecord(await body());
        sendJson(
          res,
          200,
          control.setDagOutcome(ns, dagId, {
            state: input.state as DagRunOutcomeState,
            durationSeconds: input.durationSeconds as number | undefined,
          }),
        );
      } else if (method === 'DELETE') {
        sendJson(res, 200, control.clearDagOutcome(ns, dagId));
      } else {
        throw new ControlInputError(`${method} is not supported here`);
      }
    } else if (path === 'compact' && method === 'POST') {
      control.compactHistory();
      sendJson(res, 200, { compacted: true });
    } else {
      sendJson(res, 404, {
        error: {
          name: 'NotFoundError',
          message: `no control route ${method} /simulator/v1/${path}`,
        },
      });
    }
  } catch (error) {
    if (error instanceof ControlInputError || error instanceof TypeError) {
      sendJson(res, 400, {
        error: { name: 'InputError', message: error.message },
      });
      return;
    }
    throw error;
  }
}
