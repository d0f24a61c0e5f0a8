import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

import { ErrorNotice } from './Status';

/**
 * A modal dialog on the browser's own <dialog>: showModal() keeps keyboard focus inside it,
 * Escape closes it, and focus goes back to what had it before.
 */
export function Modal({
  labelledBy,
  onClose,
  children,
}: {
  labelledBy: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    // Closed while still in the page (a layout effect's cleanup runs before React removes it).
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault(); // React decides when it closes (unmounting it)
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}

/** A question before an action that cannot be undone: keep (focused first) or go ahead. */
export function ConfirmDialog({
  title,
  children,
  keepLabel,
  confirmLabel,
  busy,
  error,
  onKeep,
  onConfirm,
}: {
  title: string;
  children: ReactNode;
  keepLabel: string;
  confirmLabel: string;
  busy: boolean;
  error: Error | null;
  onKeep: () => void;
  onConfirm: () => void;
}) {
  const headingId = useId();
  return (
    <Modal labelledBy={headingId} onClose={onKeep}>
      <article>
        <h3 id={headingId}>{title}</h3>
        <p>{children}</p>
        {error && <ErrorNotice error={error} />}
        <footer>
          <button type="button" className="secondary" onClick={onKeep} autoFocus>
            {keepLabel}
          </button>
          <button type="button" aria-busy={busy} disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </footer>
      </article>
    </Modal>
  );
}
