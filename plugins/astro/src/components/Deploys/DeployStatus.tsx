import { StatusIcon } from '../common/DeploymentStatus';
import { Deploy } from './model';

const LABEL: Record<Deploy['status'], string> = {
  INITIALIZED: 'Rolling out',
  DEPLOYED: 'Deployed',
  FAILED: 'Failed',
};

const KIND = {
  INITIALIZED: 'running',
  DEPLOYED: 'ok',
  FAILED: 'error',
} as const;

/** A deploy's status as icon and words (INITIALIZED reads "Rolling out"). */
export function DeployStatus(props: { status: Deploy['status'] }) {
  return (
    <StatusIcon kind={KIND[props.status] ?? 'pending'}>
      {LABEL[props.status] ?? props.status}
    </StatusIcon>
  );
}
