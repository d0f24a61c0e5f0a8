/** The billing contract. */
import { Type, type Static } from 'typebox';

export const UrlResponse = Type.Object({ url: Type.String() });

export type UrlResponseJson = Static<typeof UrlResponse>;
