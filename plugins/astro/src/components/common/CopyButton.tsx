import { useEffect, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import CheckIcon from '@material-ui/icons/Check';
import FileCopyOutlinedIcon from '@material-ui/icons/FileCopyOutlined';

type CopyState = 'idle' | 'copied' | 'failed';

/** How long "Copied" shows. */
const FEEDBACK_MS = 2000;

/**
 * Copies a text to the clipboard and says whether it worked. Where the
 * browser offers no clipboard (pages not served over HTTPS), it says to
 * select and copy the text instead.
 */
export function CopyButton(props: {
  text: string;
  /** What is copied, e.g. "token value"; names the button. */
  what: string;
  size?: 'small' | 'medium';
}) {
  const { text, what, size = 'small' } = props;
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') {
      return undefined;
    }
    const timer = setTimeout(() => setState('idle'), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      if (!navigator.clipboard) {
        throw new Error('no clipboard');
      }
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  const label = {
    idle: `Copy ${what}`,
    copied: `Copied ${what}`,
    failed: `Could not copy: select the ${what} and copy it`,
  }[state];
  return (
    <Tooltip title={label}>
      <IconButton aria-label={label} size={size} onClick={copy}>
        {state === 'copied' ? (
          <CheckIcon fontSize="small" />
        ) : (
          <FileCopyOutlinedIcon fontSize="small" />
        )}
      </IconButton>
    </Tooltip>
  );
}
