import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { renderDeployment, renderedObjectKey } from '../render';
import { fixtureInput } from '../render/__testUtils__/renderInputs';
import {
  hibernateRender,
  KEDA_PAUSED_REPLICAS_ANNOTATION,
} from './hibernateRender';

const componentOf = (object: {
  metadata: { labels?: Record<string, string> };
}) => object.metadata.labels?.[ASTRO_LABELS.component];

describe('hibernateRender', () => {
  it.each([
    ['Airflow 3', '3.1.3', 'api-server'],
    ['Airflow 2', '2.11.0', 'webserver'],
  ] as const)(
    'scales every Airflow component of %s to zero and keeps the rest as it was',
    (_, airflowVersion, uiComponent) => {
      const awake = renderDeployment(fixtureInput({ airflowVersion }));
      const asleep = hibernateRender(awake);
      const byKey = new Map(
        asleep.objects.map(o => [renderedObjectKey(o.object), o]),
      );
      const pairs = awake.objects.map(rendered => ({
        rendered,
        after: byKey.get(renderedObjectKey(rendered.object))!,
        component: componentOf(rendered.object),
        workload:
          rendered.object.kind === 'Deployment' ||
          rendered.object.kind === 'StatefulSet',
      }));
      const airflow = new Set([
        'scheduler',
        uiComponent,
        'triggerer',
        'dag-processor',
      ]);
      const sleeping = pairs.filter(
        p => p.workload && airflow.has(p.component ?? ''),
      );
      const scaledObjects = pairs.filter(
        p => p.rendered.object.kind === 'ScaledObject',
      );
      const untouched = pairs.filter(
        p => !sleeping.includes(p) && !scaledObjects.includes(p),
      );

      expect(sleeping.map(p => p.component).sort()).toEqual(
        [...airflow].sort(),
      );
      for (const { rendered, after } of sleeping) {
        expect((after.object.spec as any).replicas).toBe(0);
        expect(after.hash).not.toBe(rendered.hash);
        // Still a valid Deployment.
        expect(() =>
          new Deployment(after.object as any).validate(),
        ).not.toThrow();
      }
      expect(scaledObjects).toHaveLength(1);
      for (const { after } of scaledObjects) {
        expect(
          after.object.metadata.annotations?.[KEDA_PAUSED_REPLICAS_ANNOTATION],
        ).toBe('0');
        expect(() =>
          new ScaledObject(after.object as any).validate(),
        ).not.toThrow();
      }
      // Namespace, secrets, database, pgbouncer, broker, Job and the
      // workers (KEDA owns their replicas; the paused ScaledObject sets
      // them): untouched.
      expect(untouched.map(p => p.after)).toEqual(
        untouched.map(p => p.rendered),
      );
      expect(untouched.filter(p => p.workload).map(p => p.component)).toEqual(
        expect.arrayContaining(['worker', 'redis', 'pgbouncer']),
      );
      for (const { after } of untouched.filter(
        p => p.rendered.object.kind === 'StatefulSet',
      )) {
        expect(() =>
          new StatefulSet(after.object as any).validate(),
        ).not.toThrow();
      }
      expect(asleep.objects).toHaveLength(awake.objects.length);
      expect(asleep.hash).not.toBe(awake.hash);
      expect(asleep.conditions).toContainEqual(
        expect.objectContaining({ type: 'Hibernating', status: 'True' }),
      );
    },
  );

  it('without KEDA drops the HPAs and forces the workers to zero', () => {
    const awake = renderDeployment(fixtureInput({ keda: false, queues: 3 }));
    expect(
      awake.objects.filter(o => o.object.kind === 'HorizontalPodAutoscaler'),
    ).toHaveLength(3);
    const asleep = hibernateRender(awake);
    expect(
      asleep.objects.filter(o => o.object.kind === 'HorizontalPodAutoscaler'),
    ).toEqual([]);
    const workers = asleep.objects.filter(
      o => o.object.kind === 'Deployment' && componentOf(o.object) === 'worker',
    );
    expect(workers).toHaveLength(3);
    for (const worker of workers) {
      expect((worker.object.spec as any).replicas).toBe(0);
      // The HPA owned the replicas; the apply takes them over.
      expect(worker.force).toBe(true);
      expect(() =>
        new Deployment(worker.object as any).validate(),
      ).not.toThrow();
    }
    // Nothing else is forced.
    expect(asleep.objects.filter(o => o.force).length).toBe(3);
  });

  it('is a pure function: the awake rendering is not changed', () => {
    const awake = renderDeployment(fixtureInput());
    const copy = JSON.parse(JSON.stringify(awake));
    hibernateRender(awake);
    expect(awake).toEqual(copy);
  });
});
