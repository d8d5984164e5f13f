import { WarningPanel } from '@backstage/core-components';

/** Shown when an Airflow view is put on an entity of the wrong kind. */
export function NotAnAstroEntity(props: { expected: string }) {
  return (
    <WarningPanel
      severity="info"
      title={`This view needs an ${props.expected} entity`}
      message={`Show it only for entities of kind ${props.expected}, e.g. with the filter kind:${props.expected}.`}
    />
  );
}
