/** A connection as the contract's JSON. */
import type { IntegrationView } from '../../../services/integration.service.js';

export const present = (view: IntegrationView) => ({ ...view, lastSyncAt: view.lastSyncAt?.toISOString() ?? null });
