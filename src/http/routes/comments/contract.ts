/** The comments contract: threads, replies, reactions. */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const Reactions = Type.Array(
  Type.Object({ reaction: Type.String(), count: Type.Integer(), reactedByMe: Type.Boolean() }),
);

export const commentFields = {
  id: Type.String(),
  auditId: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  content: Type.String({ description: 'Markdown, exactly as written: never rendered by the server' }),
  author: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  createdAt: NullableTimestamp,
  updatedAt: NullableTimestamp,
  edited: Type.Boolean(),
  reactions: Reactions,
};

export const CommentSchema = Type.Object(commentFields);

export const ThreadSchema = Type.Object({ ...commentFields, replies: Type.Array(CommentSchema) });

export const Content = Type.String({ minLength: 1, maxLength: 10_000 });

export type CommentJson = Static<typeof CommentSchema>;
export type ThreadJson = Static<typeof ThreadSchema>;

export type ReactionsJson = Static<typeof Reactions>;
