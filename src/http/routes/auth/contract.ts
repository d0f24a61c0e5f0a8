/** The accounts contract: signup, login, sessions, emailed links. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';
import { NullableOrganization } from '../organization/contract.js';

// Emailed tokens are 43 base64url characters; the service tells a malformed one (400) from
// a used or expired one (410), so the path takes any short string.
export const EmailedToken = Type.String({ minLength: 1, maxLength: 200 });

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  organizationId: Nullable(Type.String()),
  role: Type.String(),
  plan: Type.String(),
  emailVerified: Type.Boolean({ description: 'Whether the user proved they read mail at `email`' }),
  domainJoinPending: Type.Boolean({
    description:
      'Signed up at a domain an organization claims: joins it once the email is verified (organizationId is null until then)',
  }),
  createdAt: NullableTimestamp,
  lastLoginAt: NullableTimestamp,
});

export type UserJson = Static<typeof UserSchema>;

/** The logged-in account: /api/auth/me, /session and a verification's answer. */
export const CurrentAccount = Type.Object({ user: UserSchema, organization: NullableOrganization });
export type CurrentAccountJson = Static<typeof CurrentAccount>;

export const AuthResponse = Type.Object({ user: UserSchema, organization: NullableOrganization, token: Type.String() });

/** A request accepted for work whose outcome the answer does not tell (an email may go out). */
export const AcceptedResponse = Type.Object({ message: Type.String() });
export type AuthAnswer = Static<typeof AuthResponse>;

export type AcceptedResponseJson = Static<typeof AcceptedResponse>;
