/**
 * Mentions in a comment: `@email@example.com` and `@"Full Name"`. Pure: the text in, the
 * mentioned emails and names out; the service resolves them against the people who can see
 * the audit (an unknown name stays plain text).
 */
export interface Mentions {
  emails: string[];
  names: string[];
}

const MENTION = /@"([^"\n]{1,255})"|(?<![\w.+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

export function parseMentions(text: string): Mentions {
  const emails = new Set<string>();
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    if (match[1] !== undefined) names.add(match[1].trim().toLowerCase());
    else if (match[2] !== undefined) emails.add(match[2].replace(/[.]+$/, '').toLowerCase());
  }
  return { emails: [...emails], names: [...names].filter(Boolean) };
}

/** The reactions a comment accepts: one emoji (with its modifiers), or one of these names. */
export const REACTION_NAMES = [
  'thumbsup',
  'thumbsdown',
  'heart',
  'tada',
  'eyes',
  'rocket',
  'laugh',
  'confused',
  'check',
  'fire',
  'clap',
  'thinking',
  '100',
] as const;

const EMOJI =
  /^\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u200D\p{Extended_Pictographic})*$|^(?:\p{Regional_Indicator}){2}$/u;

export function isValidReaction(reaction: string): boolean {
  return reaction.length <= 50 && ((REACTION_NAMES as readonly string[]).includes(reaction) || EMOJI.test(reaction));
}
