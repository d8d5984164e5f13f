import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { CopyButton } from '../common/CopyButton';
import { ApiTokenWithValue } from './model';

/**
 * Shows a token's value, the one time the API returns it (on creation and
 * rotation). The value lives only in this dialog's props: the caller drops
 * it when the dialog closes, so it cannot be shown again.
 */
export function TokenValueDialog(props: {
  token?: ApiTokenWithValue;
  /** Why the value is shown. */
  reason: 'created' | 'rotated';
  onClose: () => void;
}) {
  const { token, reason, onClose } = props;
  return (
    <Dialog
      open={Boolean(token)}
      // A stray click beside the dialog must not lose the value.
      onClose={(_event, why) => {
        if (why !== 'backdropClick') {
          onClose();
        }
      }}
      fullWidth
      maxWidth="sm"
      aria-labelledby="astro-token-value-title"
    >
      <DialogTitle id="astro-token-value-title">
        {reason === 'created'
          ? `Token ${token?.name ?? ''} created`
          : `Token ${token?.name ?? ''} rotated`}
      </DialogTitle>
      {token && (
        <DialogContent>
          <Alert severity="warning" style={{ marginBottom: 16 }}>
            Copy the token now: it is shown only this once. The platform keeps
            only a hash of it and cannot show it again; if you lose it, rotate
            the token to get a new value.
          </Alert>
          <TextField
            id="astro-token-value"
            label="Token value"
            fullWidth
            variant="outlined"
            value={token.value}
            onFocus={e => e.target.select()}
            InputProps={{
              readOnly: true,
              style: { fontFamily: 'monospace' },
              endAdornment: (
                <InputAdornment position="end">
                  <CopyButton text={token.value} what="token value" />
                </InputAdornment>
              ),
            }}
          />
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ marginTop: 8 }}
          >
            Send it as <code>Authorization: Bearer &lt;token&gt;</code>, e.g. as
            the secret of your CI pipeline.
            {reason === 'rotated' && ' The previous value no longer works.'}
          </Typography>
        </DialogContent>
      )}
      <DialogActions>
        <Button variant="contained" color="primary" onClick={onClose}>
          I have copied it
        </Button>
      </DialogActions>
    </Dialog>
  );
}
