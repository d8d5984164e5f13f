import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { renderAutoscaling } from './autoscaling';
import { renderComponents } from './components';
import { renderConfiguration } from './configuration';
import { createRenderContext } from './context';
import { renderExposure } from './exposure';
import { loggingConditions } from './logging';
import { renderDatabase } from './database';
import { contentHash, objectContentHash } from './hash';
import { renderMigration } from './migration';
import { renderNamespace } from './namespace';
import { quotaCondition } from './quotaCondition';
import type {
  RenderInput,
  RenderPhase,
  RenderResult,
  RenderedObject,
} from './types';
import { renderWorkers } from './workers';

/**
 * Renders the Kubernetes objects of one Airflow Deployment, in apply order.
 *
 * Pure and deterministic: the same input gives byte-identical output; every
 * secret value comes in through the input and lands in Secrets only. Objects
 * are named without the Deployment's name (the namespace is the
 * Deployment's), labelled for ownership (see `ownedSelector`) and annotated
 * with the generation; pod templates carry a checksum of the configuration
 * they read, so their pods roll when it changes.
 *
 * @throws InputError when the input cannot be rendered (invalid names, a
 *   secret variable without a value, an unknown size, an Airflow version
 *   older than 2.7).
 * @public
 */
export function renderDeployment(input: RenderInput): RenderResult {
  const ctx = createRenderContext(input);
  const configuration = renderConfiguration(ctx);
  const autoscaling = renderAutoscaling(ctx);
  const exposure = renderExposure(ctx);

  const phases: Array<[RenderPhase, KubernetesObject[]]> = [
    ['namespace', renderNamespace(ctx)],
    ['configuration', configuration.objects],
    ['database', renderDatabase(ctx, configuration)],
    ['migration', renderMigration(ctx)],
    [
      'components',
      [...renderComponents(ctx, configuration), ...exposure.objects],
    ],
    ['workers', renderWorkers(ctx, configuration)],
    ['autoscaling', autoscaling.objects],
  ];
  const objects: RenderedObject[] = phases.flatMap(([phase, list]) =>
    list.map(rendered => {
      // Plain JSON data: no shared references between objects, no undefined.
      const object: KubernetesObject = JSON.parse(JSON.stringify(rendered));
      return { phase, object, hash: objectContentHash(object) };
    }),
  );
  return {
    objects,
    conditions: [
      ...autoscaling.conditions,
      ...exposure.conditions,
      ...loggingConditions(ctx),
      quotaCondition(ctx.quota),
    ],
    hash: contentHash(objects.map(object => object.hash)),
    ...(exposure.airflowUrl ? { airflowUrl: exposure.airflowUrl } : {}),
  };
}
