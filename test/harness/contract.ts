/**
 * The contract's types for tests, from the TypeBox schemas that validate, serialise and
 * document the API (src/http/schemas.ts and each resource's contract.ts): a test names a
 * shape once, never restates it.
 */
export type { ErrorJson as ErrorBody, FieldErrorJson } from '../../src/http/schemas.js';
export type { AuthAnswer as AuthJson, UserJson } from '../../src/http/routes/auth/contract.js';
export type { OrganizationJson } from '../../src/http/routes/organization/contract.js';
export type { InviteJson } from '../../src/http/routes/team/contract.js';
