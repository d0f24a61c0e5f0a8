/** What a page shows while it waits for the server, and when something went wrong. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p aria-busy="true">{what}…</p>;
}

export function ErrorNotice({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <article role="alert">
      <strong>Something went wrong.</strong> {message}
    </article>
  );
}
