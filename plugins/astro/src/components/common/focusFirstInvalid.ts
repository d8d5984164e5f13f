import { RefObject, useCallback, useEffect, useRef, useState } from 'react';

/**
 * What marks a field as invalid: `aria-invalid` (MUI sets it on the input
 * of a text field with `error`; select fields and switches set it on their
 * focusable element themselves).
 */
const INVALID = '[aria-invalid="true"]';

/**
 * Scrolls the first invalid field inside `container`, in document order,
 * to the middle of the screen and focuses it. Without one, the fallback
 * element (such as the form's error summary) is the one brought into view.
 * Returns whether a field was found.
 */
export function focusFirstInvalid(
  container: HTMLElement | null,
  fallback?: HTMLElement | null,
): boolean {
  const field = container?.querySelector<HTMLElement>(INVALID);
  const target = field ?? fallback;
  if (target) {
    // jsdom has no scrollIntoView.
    target.scrollIntoView?.({ block: 'center' });
    target.focus({ preventScroll: true });
  }
  return Boolean(field);
}

/**
 * For forms that show their messages only after a submit: `request()`
 * focuses the first invalid field once the render that marks it has been
 * committed. `containerRef` goes on the form (or dialog content);
 * `fallbackRef` on what to show when no field is marked.
 */
export function useFocusFirstInvalid<
  C extends HTMLElement = HTMLElement,
  F extends HTMLElement = HTMLElement,
>(): {
  containerRef: RefObject<C>;
  fallbackRef: RefObject<F>;
  request: () => void;
} {
  const containerRef = useRef<C>(null);
  const fallbackRef = useRef<F>(null);
  const [requests, setRequests] = useState(0);
  useEffect(() => {
    if (requests > 0) {
      focusFirstInvalid(containerRef.current, fallbackRef.current);
    }
  }, [requests]);
  const request = useCallback(() => setRequests(n => n + 1), []);
  return { containerRef, fallbackRef, request };
}

/**
 * `SelectProps` that mark an MUI select field as invalid on its focusable
 * element (MUI leaves `aria-invalid` off selects), so that screen readers
 * announce it and {@link focusFirstInvalid} finds it.
 */
export function invalidSelectProps(error: string | undefined) {
  return { SelectDisplayProps: { 'aria-invalid': Boolean(error) } };
}
