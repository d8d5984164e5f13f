import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import {
  Deployment,
  PROVISIONING_PHASES,
} from '@airflow-portal/plugin-astro-common';
import { VisuallyHidden } from '../common/VisuallyHidden';

/** Where one provisioning phase stands. */
export type PhaseState = 'done' | 'failed' | 'pending';

/** One phase with its state and what the condition says about it. */
export interface PhaseProgress {
  title: string;
  state: PhaseState;
  message?: string;
}

/**
 * The provisioning phases with their state, read from the Deployment's
 * conditions: `True` is done; `False` with a reason other than waiting is a
 * failure; anything else is still to come.
 */
export function provisioningProgress(deployment: Deployment): PhaseProgress[] {
  return PROVISIONING_PHASES.map(phase => {
    const condition = deployment.conditions.find(
      c => c.type === phase.conditionType,
    );
    let state: PhaseState = 'pending';
    if (condition?.status === 'True') {
      state = 'done';
    } else if (
      condition?.status === 'False' &&
      condition.reason &&
      /fail|error|crash|timeout|invalid/i.test(condition.reason)
    ) {
      state = 'failed';
    }
    return {
      title: phase.title,
      state,
      message: condition?.message ?? condition?.reason,
    };
  });
}

/**
 * Progress of provisioning or of a rollout: a bar with the share of phases
 * done, and a stepper naming each phase, shown while the Deployment is
 * CREATING or DEPLOYING.
 */
export function ProvisioningProgress(props: { deployment: Deployment }) {
  const phases = provisioningProgress(props.deployment);
  const done = phases.filter(p => p.state === 'done').length;
  const active = phases.findIndex(p => p.state !== 'done');
  const percent = Math.round((done / phases.length) * 100);
  const verb =
    props.deployment.status === 'CREATING' ? 'Provisioning' : 'Rolling out';
  return (
    <Box>
      <Typography id="astro-provisioning-label" variant="subtitle1">
        {verb}: {done} of {phases.length} phases done
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-labelledby="astro-provisioning-label"
      />
      <Stepper
        activeStep={active === -1 ? phases.length : active}
        alternativeLabel
        aria-label="Provisioning phases"
      >
        {phases.map(phase => (
          <Step key={phase.title} completed={phase.state === 'done'}>
            <StepLabel
              error={phase.state === 'failed'}
              optional={
                phase.message ? (
                  <Typography variant="caption">{phase.message}</Typography>
                ) : undefined
              }
            >
              {phase.title}
              {phase.state === 'done' && (
                <VisuallyHidden> (done)</VisuallyHidden>
              )}
              {phase.state === 'failed' && (
                <VisuallyHidden> (failed)</VisuallyHidden>
              )}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
    </Box>
  );
}
