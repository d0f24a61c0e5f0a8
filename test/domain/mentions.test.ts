import { describe, expect, it } from 'vitest';

import { isValidReaction, parseMentions } from '../../src/domain/mentions.js';

describe('mentions', () => {
  it('finds @email and @"Full Name", lower-cased and once each', () => {
    expect(parseMentions('Ask @Ada@Example.com and @"Grace Hopper", cc @ada@example.com.')).toEqual({
      emails: ['ada@example.com'],
      names: ['grace hopper'],
    });
  });

  it('ignores what only looks like a mention', () => {
    expect(parseMentions('mail me at ada@example.com, @nobody, @"", price @ $5, a@b')).toEqual({
      emails: [],
      names: [],
    });
    expect(parseMentions('`@"Quoted`')).toEqual({ emails: [], names: [] });
  });

  it('reactions: one emoji (with modifiers) or a known name', () => {
    for (const ok of ['👍', '👍🏽', '❤️', '🎉', '👩‍💻', '🇫🇷', 'thumbsup', 'tada'])
      expect(isValidReaction(ok), ok).toBe(true);
    for (const bad of ['👍👍', 'hello', '<b>', '', 'x'.repeat(51), 'thumbs up'])
      expect(isValidReaction(bad), bad).toBe(false);
  });
});
