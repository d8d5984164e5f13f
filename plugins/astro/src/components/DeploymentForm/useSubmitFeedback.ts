import { useCallback, useEffect, useState } from 'react';
import { useFocusFirstInvalid } from '../common/focusFirstInvalid';
import { FieldErrors } from './formModel';

/**
 * What a Deployment form shows after a submit fails on its fields: the
 * error summary (until no field has a problem any more) and the focus on
 * the first invalid field, scrolled into view.
 */
export function useSubmitFeedback(errors: FieldErrors) {
  const focus = useFocusFirstInvalid<HTMLFormElement, HTMLDivElement>();
  const [shown, setShown] = useState(false);
  const invalid = Object.keys(errors).length > 0;
  useEffect(() => {
    if (!invalid) {
      setShown(false);
    }
  }, [invalid]);
  const { request } = focus;
  const reportInvalid = useCallback(() => {
    setShown(true);
    request();
  }, [request]);
  return {
    /** On the form: where the invalid fields are looked for. */
    formRef: focus.containerRef,
    /** On the summary: focused when no field is marked. */
    summaryRef: focus.fallbackRef,
    summaryShown: shown && invalid,
    /** A submit failed on fields: show the summary, focus the first field. */
    reportInvalid,
  };
}
