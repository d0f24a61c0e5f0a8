import { useChangeVisibility, useShareState } from '../../api/collaboration';
import type { ShareState } from '../../api/types';
import { CopyButton } from '../CopyButton';
import { Modal } from '../Modal';
import { ErrorNotice, Loading } from '../Status';
import { UserShares } from './UserShares';

/** Visibility and the public link (level manage). */
export function ShareDialog({ auditId, onClose }: { auditId: string; onClose: () => void }) {
  const share = useShareState(auditId);
  const change = useChangeVisibility(auditId);
  const link = share.data?.shareUrl ?? null;
  return (
    <Modal labelledBy="share-heading" onClose={onClose}>
      <article>
        <header>
          <h3 id="share-heading">Share this audit</h3>
        </header>
        {share.isPending && <Loading />}
        {share.isError && <ErrorNotice error={share.error} />}
        {share.data && (
          <>
            <label>
              Who can see it
              <select
                value={share.data.visibility}
                onChange={(e) => change.mutate(e.target.value as ShareState['visibility'])}
                disabled={change.isPending}
              >
                <option value="private">Private: you, admins and people you share it with</option>
                <option value="organization">Organization: every member can see and comment</option>
                <option value="public">Public: anyone with the link can read it</option>
              </select>
            </label>
            {link && (
              <label>
                Public link
                <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
              </label>
            )}
            {link && <CopyButton text={link} />}
          </>
        )}
        <UserShares auditId={auditId} />
        <footer>
          <button type="button" onClick={onClose}>
            Done
          </button>
        </footer>
      </article>
    </Modal>
  );
}
