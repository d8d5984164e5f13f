import { useEffect, useRef, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useNavigate } from 'react-router-dom';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { messageOf, statusOf } from '../common/errors';
import { formatBytes } from '../Deploys/model';
import { ImportPlan, ImportPreview } from './ImportPreview';
import {
  byteLength,
  FileIssue,
  fileIssuesOf,
  lineRange,
  MAX_FILE_BYTES,
  readFileText,
  sizeProblem,
} from './model';

type Problem = { summary: string; issues?: FileIssue[] };

const useStyles = makeStyles(theme => ({
  yaml: { fontFamily: 'monospace', fontSize: theme.typography.body2.fontSize },
  issues: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(2.5) },
}));

/** The backend's answer to a file it refused, in the dialog's words. */
function problemOf(error: unknown, what: string): Problem {
  if (statusOf(error) === 400) {
    return {
      summary: 'The file was not accepted:',
      issues: fileIssuesOf(messageOf(error)),
    };
  }
  return { summary: `${what}: ${messageOf(error)}` };
}

/** The problems of a file; a problem's line selects that line of the file. */
function IssueList(props: {
  issues: FileIssue[];
  onShowLine?: (line: number) => void;
}) {
  const { issues, onShowLine } = props;
  const classes = useStyles();
  return (
    <ul className={classes.issues} aria-label="Problems in the file">
      {issues.map((issue, index) => (
        <li key={index}>
          {issue.field && <code>{issue.field}</code>}
          {issue.line !== undefined && (
            <>
              {' ('}
              {onShowLine ? (
                <Link
                  component="button"
                  variant="body2"
                  color="inherit"
                  underline="always"
                  onClick={() => onShowLine(issue.line!)}
                >
                  line {issue.line}
                </Link>
              ) : (
                `line ${issue.line}`
              )}
              )
            </>
          )}
          {issue.field || issue.line !== undefined ? ': ' : ''}
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * Imports a deployment file into an organization: the user picks a YAML
 * file (its size checked before it is read) or pastes one, the backend
 * checks it in a dry run and the dialog shows what the import will do —
 * create a Deployment, or replace the settings of one, change by change —
 * and then imports it and opens the Deployment. The backend's problems
 * name the file's fields and lines.
 */
export function ImportDeploymentFileDialog(props: {
  organization: string;
  /** The workspace the dialog is opened from, if any. */
  workspace?: string;
  open: boolean;
  onClose: () => void;
}) {
  const { organization: org, workspace, open, onClose } = props;
  const classes = useStyles();
  const astroApi = useApi(astroApiRef);
  const alertApi = useApi(alertApiRef);
  const links = useAstroLinks();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [plan, setPlan] = useState<ImportPlan>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState<'checking' | 'importing'>();
  const textArea = useRef<HTMLTextAreaElement>(null);

  /** Selects a line of the file in the text box and scrolls it into view. */
  const showLine = (line: number) => {
    const input = textArea.current;
    if (!input) {
      return;
    }
    const { start, end } = lineRange(text, line);
    input.focus();
    input.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(input).lineHeight) || 20;
    input.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  useEffect(() => {
    if (open) {
      setText('');
      setFileName(undefined);
      setPlan(undefined);
      setProblem(undefined);
      setBusy(undefined);
    }
  }, [open]);

  const choose = async (file: File | undefined) => {
    if (!file) {
      return;
    }
    setPlan(undefined);
    const tooLarge = sizeProblem(file.size);
    if (tooLarge) {
      setProblem({ summary: `${file.name} was not read. ${tooLarge}` });
      return;
    }
    setProblem(undefined);
    try {
      setText(await readFileText(file));
      setFileName(file.name);
    } catch (error) {
      setProblem({
        summary: `${file.name} could not be read: ${messageOf(error)}`,
      });
    }
  };

  const review = async () => {
    const tooLarge = sizeProblem(byteLength(text));
    if (tooLarge) {
      setProblem({ summary: tooLarge });
      return;
    }
    setBusy('checking');
    setProblem(undefined);
    try {
      const result = await astroApi.importDeployment({
        path: { org },
        query: { dryRun: 'true' },
        body: text,
      });
      const current = result.created
        ? undefined
        : await astroApi.getDeployment({
            path: { org, dep: result.deployment.name },
          });
      setPlan({ result, current });
    } catch (error) {
      setProblem(problemOf(error, 'The file could not be checked'));
    } finally {
      setBusy(undefined);
    }
  };

  const importFile = async () => {
    setBusy('importing');
    setProblem(undefined);
    try {
      const { deployment, created } = await astroApi.importDeployment({
        path: { org },
        body: text,
      });
      alertApi.post({
        message: created
          ? `Deployment ${deployment.name} created from the deployment file.`
          : `Settings of Deployment ${deployment.name} replaced from the deployment file.`,
        severity: 'success',
        display: 'transient',
      });
      onClose();
      const to = links.deployment(org, deployment.name);
      if (to) {
        navigate(to);
      }
    } catch (error) {
      setPlan(undefined);
      setProblem(problemOf(error, 'The file was not imported'));
      setBusy(undefined);
    }
  };

  let confirmLabel = 'Replace settings';
  if (busy === 'importing') {
    confirmLabel = 'Importing…';
  } else if (plan?.result.created) {
    confirmLabel = 'Create Deployment';
  }

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="astro-import-file-title"
    >
      <DialogTitle id="astro-import-file-title">
        Import deployment file
      </DialogTitle>
      <DialogContent>
        {plan ? (
          <ImportPreview plan={plan} workspace={workspace} />
        ) : (
          <>
            <DialogContentText>
              A deployment file (YAML, as exported from a Deployment's Settings
              tab) creates the Deployment it names in organization {org}, or
              replaces the settings of that Deployment if it exists. You see
              what changes before anything is imported.
            </DialogContentText>
            <Box display="flex" alignItems="center" gridGap={16} mb={2}>
              <Button variant="outlined" component="label" disabled={!!busy}>
                Choose a file (.yaml)
                <input
                  type="file"
                  hidden
                  accept=".yaml,.yml,application/yaml,text/yaml"
                  data-testid="astro-deployment-file-input"
                  onChange={e => {
                    choose(e.target.files?.[0]);
                    e.target.value = '';
                  }}
                />
              </Button>
              <Typography variant="body2" color="textSecondary">
                {fileName
                  ? `${fileName}, ${formatBytes(byteLength(text))}`
                  : `or paste it below (at most ${formatBytes(
                      MAX_FILE_BYTES,
                    )})`}
              </Typography>
            </Box>
            <TextField
              id="astro-deployment-file-text"
              label="Deployment file (YAML)"
              multiline
              minRows={10}
              maxRows={20}
              fullWidth
              variant="outlined"
              value={text}
              disabled={!!busy}
              inputRef={textArea}
              InputProps={{ classes: { input: classes.yaml } }}
              onChange={e => {
                setText(e.target.value);
                setProblem(undefined);
              }}
            />
          </>
        )}
        {problem && (
          <Box mt={2}>
            <Alert severity="error" role="alert">
              {problem.summary}
              {problem.issues && (
                <IssueList
                  issues={problem.issues}
                  onShowLine={plan ? undefined : showLine}
                />
              )}
            </Alert>
          </Box>
        )}
        {busy && (
          <Box mt={2}>
            <LinearProgress
              aria-label={
                busy === 'checking' ? 'Checking the file' : 'Importing the file'
              }
            />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={!!busy}>
          Cancel
        </Button>
        {plan ? (
          <>
            <Button onClick={() => setPlan(undefined)} disabled={!!busy}>
              Back to the file
            </Button>
            <Button
              color="primary"
              variant="contained"
              onClick={importFile}
              disabled={!!busy}
            >
              {confirmLabel}
            </Button>
          </>
        ) : (
          <Button
            color="primary"
            variant="contained"
            onClick={review}
            disabled={!!busy || text.trim() === ''}
          >
            {busy === 'checking' ? 'Checking…' : 'Review import'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
