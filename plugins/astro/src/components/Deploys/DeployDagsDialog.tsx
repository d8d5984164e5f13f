import { DragEvent, ReactNode, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { StatusIcon } from '../common/DeploymentStatus';
import { messageOf, statusOf } from '../common/errors';
import { newIdempotencyKey } from '../DeploymentForm/idempotency';
import {
  Deploy,
  bundleChecksum,
  formatBytes,
  isGzip,
  looksLikeTarGz,
  shortVersion,
} from './model';

/** How often a rolling-out deploy is read again. */
export const DEPLOY_POLL_MS = 2000;
/** The longest description the API takes. */
const DESCRIPTION_MAX = 500;

type Phase =
  | { step: 'choose'; error?: string }
  | { step: 'hashing' }
  | { step: 'uploading'; checksum: string }
  | {
      step: 'rolling-out';
      checksum: string;
      deploy: Deploy;
      pollError?: string;
    }
  | { step: 'finished'; checksum: string; deploy: Deploy };

const useStyles = makeStyles(theme => ({
  drop: {
    border: `2px dashed ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(3),
    textAlign: 'center',
    marginBottom: theme.spacing(2),
  },
  dragging: { borderColor: theme.palette.primary.main },
  steps: { listStyle: 'none', padding: 0, margin: theme.spacing(1, 0) },
}));

/** What went wrong with an upload, in the words of the backend. */
function uploadError(error: unknown): string {
  const message = messageOf(error);
  switch (statusOf(error)) {
    case 413:
      return `The archive is larger than the platform accepts: ${message}`;
    case 409:
      return `The Deployment refused the deploy: ${message}`;
    case 403:
      return `You are not allowed to deploy to this Deployment: ${message}`;
    case 400:
      return `The deploy was rejected: ${message}`;
    default:
      return `The deploy was not made: ${message}`;
  }
}

function Step(props: {
  state: 'done' | 'active' | 'waiting' | 'failed';
  children: ReactNode;
}) {
  const kind = {
    done: 'ok',
    active: 'running',
    waiting: 'pending',
    failed: 'error',
  } as const;
  const words = {
    done: 'done',
    active: 'in progress',
    waiting: 'waiting',
    failed: 'failed',
  };
  return (
    <li>
      <StatusIcon kind={kind[props.state]}>
        <span>
          {props.children} ({words[props.state]})
        </span>
      </StatusIcon>
    </li>
  );
}

/**
 * Deploys a DAGs folder packed as a .tar.gz: the user picks or drops the
 * archive, the browser computes its SHA-256 (Web Crypto), uploads the
 * bytes with the checksum, and follows the deploy until every component
 * serves the new DAGs (DEPLOYED) or the platform gives up (FAILED).
 */
export function DeployDagsDialog(props: {
  deployment: Deployment;
  open: boolean;
  onClose: () => void;
  /** A deploy was created (INITIALIZED), or has finished. */
  onCreated: (deploy: Deploy) => void;
}) {
  const { deployment, open, onClose, onCreated } = props;
  const classes = useStyles();
  const astroApi = useApi(astroApiRef);
  const [file, setFile] = useState<File>();
  const [description, setDescription] = useState('');
  const [phase, setPhase] = useState<Phase>({ step: 'choose' });
  const [dragging, setDragging] = useState(false);
  const upload = useRef<AbortController>();
  const attempt = useRef<{ key: string; fingerprint: string }>();
  const createdRef = useRef(onCreated);
  createdRef.current = onCreated;
  const org = deployment.organization;
  const dep = deployment.name;

  // Every opening starts afresh; closing abandons an upload in flight.
  useEffect(() => {
    if (open) {
      setFile(undefined);
      setDescription('');
      setPhase({ step: 'choose' });
      attempt.current = undefined;
    }
    return () => upload.current?.abort();
  }, [open]);

  // Follow a deploy that rolls out until it has finished.
  const rollingOutId = phase.step === 'rolling-out' ? phase.deploy.id : '';
  const pollError = phase.step === 'rolling-out' ? phase.pollError : '';
  useEffect(() => {
    // Closed, the dialog leaves the following to the deploy history.
    if (!rollingOutId || !open) {
      return undefined;
    }
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const deploy = await astroApi.getDeploy({
          path: { org, dep, deploy: rollingOutId },
        });
        if (!current) {
          return;
        }
        setPhase(p =>
          p.step === 'rolling-out'
            ? {
                step:
                  deploy.status === 'INITIALIZED' ? 'rolling-out' : 'finished',
                checksum: p.checksum,
                deploy,
              }
            : p,
        );
        if (deploy.status !== 'INITIALIZED') {
          createdRef.current(deploy);
        }
      } catch (error) {
        if (current) {
          setPhase(p =>
            p.step === 'rolling-out'
              ? { ...p, pollError: messageOf(error) }
              : p,
          );
        }
      }
    }, DEPLOY_POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // A poll error or a new reading of the deploy schedules the next poll.
  }, [astroApi, org, dep, rollingOutId, pollError, phase, open]);

  const choose = (chosen: File | undefined) => {
    if (chosen) {
      setFile(chosen);
      setPhase({ step: 'choose' });
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files?.[0]);
  };

  const deploy = async () => {
    if (!file) {
      return;
    }
    setPhase({ step: 'hashing' });
    let bytes: ArrayBuffer;
    let checksum: string;
    try {
      bytes = await file.arrayBuffer();
      if (bytes.byteLength === 0) {
        setPhase({ step: 'choose', error: `${file.name} is empty.` });
        return;
      }
      if (!isGzip(bytes)) {
        setPhase({
          step: 'choose',
          error: `${file.name} is not a gzip-compressed archive. Pack the DAGs folder with "tar -czf dags.tar.gz -C dags ."`,
        });
        return;
      }
      checksum = await bundleChecksum(bytes);
    } catch (error) {
      setPhase({ step: 'choose', error: messageOf(error) });
      return;
    }

    const text = description.trim();
    const fingerprint = `${checksum} ${text}`;
    if (attempt.current?.fingerprint !== fingerprint) {
      attempt.current = { key: newIdempotencyKey(), fingerprint };
    }
    setPhase({ step: 'uploading', checksum });
    const controller = new AbortController();
    upload.current = controller;
    try {
      const created = await astroApi.createDeploy(
        {
          path: { org, dep },
          query: {
            type: 'DAG',
            checksum,
            origin: 'UI',
            ...(text ? { description: text } : {}),
          },
          header: { 'Idempotency-Key': attempt.current.key },
          body: bytes,
        },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) {
        return;
      }
      createdRef.current(created);
      setPhase({
        step: created.status === 'INITIALIZED' ? 'rolling-out' : 'finished',
        checksum,
        deploy: created,
      });
    } catch (error) {
      setPhase({
        step: 'choose',
        error: controller.signal.aborted
          ? 'The upload was cancelled.'
          : uploadError(error),
      });
    } finally {
      upload.current = undefined;
    }
  };

  const busy = phase.step === 'hashing' || phase.step === 'uploading';
  const started = phase.step !== 'choose';
  const finished = phase.step === 'finished' ? phase.deploy : undefined;
  const checksum = 'checksum' in phase ? phase.checksum : undefined;

  const hashState = phase.step === 'hashing' ? 'active' : 'done';
  let uploadState: 'done' | 'active' | 'waiting' = 'done';
  if (phase.step === 'hashing') {
    uploadState = 'waiting';
  } else if (phase.step === 'uploading') {
    uploadState = 'active';
  }
  let rolloutState: 'done' | 'active' | 'waiting' | 'failed' = 'waiting';
  if (phase.step === 'rolling-out') {
    rolloutState = 'active';
  } else if (finished) {
    rolloutState = finished.status === 'FAILED' ? 'failed' : 'done';
  }

  let status = '';
  if (phase.step === 'hashing') {
    status = 'Computing the checksum…';
  } else if (phase.step === 'uploading') {
    status = `Uploading ${file ? formatBytes(file.size) : ''}…`;
  } else if (phase.step === 'rolling-out') {
    status =
      'Deploy created (INITIALIZED): waiting for every component to pick up the new DAGs. You may close this dialog; the deploy goes on and the history shows how it ends.';
  } else if (finished?.status === 'DEPLOYED') {
    status = 'Deployed: every component serves the new DAGs.';
  } else if (finished) {
    status = `The deploy failed: ${finished.statusReason ?? 'no reason given'}`;
  }

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="astro-deploy-dags-title"
    >
      <DialogTitle id="astro-deploy-dags-title">
        Deploy DAGs to {deployment.name}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Choose the DAGs folder packed as a .tar.gz archive (
          <code>tar -czf dags.tar.gz -C dags .</code>). The components swap the
          new DAGs in without a restart.
        </DialogContentText>
        {phase.step === 'choose' && phase.error && (
          <Box mb={2}>
            <Alert severity="error" role="alert">
              {phase.error}
            </Alert>
          </Box>
        )}
        {!started ? (
          <>
            <div
              className={`${classes.drop} ${dragging ? classes.dragging : ''}`}
              onDragOver={e => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
              data-testid="astro-dags-drop-zone"
            >
              <Typography variant="body2" paragraph>
                Drop the archive here, or
              </Typography>
              <Button variant="outlined" component="label">
                Choose the DAGs archive (.tar.gz)
                <input
                  type="file"
                  hidden
                  accept=".tar.gz,.tgz,application/gzip"
                  onChange={e => choose(e.target.files?.[0])}
                />
              </Button>
              {file && (
                <Box mt={2}>
                  <Typography variant="body2">
                    <strong>{file.name}</strong>, {formatBytes(file.size)}
                  </Typography>
                  {!looksLikeTarGz(file.name) && (
                    <Typography variant="body2" color="textSecondary">
                      The name does not end in .tar.gz or .tgz; it is checked
                      before the upload.
                    </Typography>
                  )}
                </Box>
              )}
            </div>
            <TextField
              id="astro-deploy-description"
              label="Description"
              fullWidth
              variant="outlined"
              value={description}
              inputProps={{ maxLength: DESCRIPTION_MAX }}
              helperText={`What this deploy changes (at most ${DESCRIPTION_MAX} characters)`}
              onChange={e => setDescription(e.target.value)}
            />
          </>
        ) : (
          <>
            <ol className={classes.steps} aria-label="Deploy progress">
              <Step state={hashState}>
                Checksum
                {checksum && (
                  <>
                    {' '}
                    <code title={checksum}>{shortVersion(checksum)}</code>
                  </>
                )}
              </Step>
              <Step state={uploadState}>
                Upload of {file?.name} ({file ? formatBytes(file.size) : ''})
              </Step>
              <Step state={rolloutState}>Roll-out to the components</Step>
            </ol>
            {(busy || phase.step === 'rolling-out') && (
              <LinearProgress aria-label="Deploying the DAGs" />
            )}
          </>
        )}
        <Box mt={2}>
          {finished?.status === 'DEPLOYED' && (
            <Alert severity="success">{status}</Alert>
          )}
          {finished?.status === 'FAILED' && (
            <Alert severity="error" role="alert">
              {status}
            </Alert>
          )}
          <Typography variant="body2" role="status">
            {started && !finished ? status : ''}
          </Typography>
          {phase.step === 'rolling-out' && phase.pollError && (
            <Typography variant="body2" color="textSecondary">
              Could not read the deploy's status ({phase.pollError}); trying
              again.
            </Typography>
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        {phase.step === 'uploading' ? (
          <Button onClick={() => upload.current?.abort()}>Cancel upload</Button>
        ) : (
          <Button onClick={onClose} disabled={busy}>
            {started ? 'Close' : 'Cancel'}
          </Button>
        )}
        {!started ? (
          <Button
            variant="contained"
            color="primary"
            disabled={!file}
            onClick={deploy}
          >
            Deploy
          </Button>
        ) : null}
      </DialogActions>
    </Dialog>
  );
}
