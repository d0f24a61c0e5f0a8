import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import type { ShareState } from '../../api/types';
import { CopyButton } from '../CopyButton';
import { Modal } from '../Modal';
import { ErrorNotice, Loading } from '../Status';
import { UserShares } from './UserShares';

/** Visibility and the public link (level manage). */
export function ShareDialog({ auditId, onClose }: { auditId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const share = useQuery({
    queryKey: ['share', auditId],
    queryFn: () => api<ShareState>('GET', `/api/audits/${auditId}/share`),
  });
  const change = useMutation({
    mutationFn: (visibility: ShareState['visibility']) =>
      api<ShareState>('PUT', `/api/audits/${auditId}/share`, { visibility }),
    onSuccess: (state) => queryClient.setQueryData(['share', auditId], state),
  });
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
