/**
 * The model's text with references: `{R2.savings}` stands for the engine's figure, written in
 * by the server. A text is checked (`problemsOf`: an unknown reference, a stray brace, a
 * digit of the model's own outside a known name such as "Microsoft 365") and rendered into
 * parts (`render`); an answer streamed to a user is rendered as it arrives
 * (`StreamingRenderer`), its own digits left out, as nothing already shown can be taken back.
 * Pure: no I/O.
 */
import type { Fact } from './facts.js';

export interface Part {
  text: string;
  /** The fact this text renders; null: the model's words. */
  ref: string | null;
  recommendation: number | null;
  /** A sum of money the text writes in en-US: its amount and currency. */
  money: Fact['money'];
}

const REFERENCE = /\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]+)?)\}/g;
/** What a part of the model's own words refers to: nothing. */
const WORDS = { ref: null, recommendation: null, money: null } as const;

/** Shown where the model wrote a figure of its own (answers only: a narrative with one is refused). */
export const REMOVED = '…';

interface Span {
  start: number;
  end: number;
}

/**
 * Where known names containing digits occur in `text` (case-insensitive, as whole words):
 * their digits are names, not figures. A name of only digits and signs ("2024") is no name.
 */
function nameSpans(text: string, names: readonly string[]): Span[] {
  const lower = text.toLowerCase();
  const spans: Span[] = [];
  const wordAt = (i: number) => i >= 0 && i < lower.length && /[\p{L}\p{N}]/u.test(lower[i]!);
  for (const name of names) {
    const needle = name.toLowerCase();
    if (!/\p{L}/u.test(needle)) continue;
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
      if (!wordAt(at - 1) && !wordAt(at + needle.length)) spans.push({ start: at, end: at + needle.length });
    }
  }
  return spans;
}

/**
 * A figure the model would state itself: digits of any script with their separators, a
 * fraction sign, or a number in words. ("one" is left alone: "one of them" is not a figure.)
 */
const OWN_NUMBER = new RegExp(
  [
    '\\p{Nd}+(?:[.,:/-]\\p{Nd}+)*%?',
    '[\\u00BC-\\u00BE\\u2150-\\u215E]',
    '\\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundreds?|thousands?|millions?|billions?|dozens?|half|halves|twice|double|triple|percent)\\b',
  ].join('|'),
  'giu',
);

/** Whether [start, end) lies wholly within one of the spans. */
const within = (spans: readonly Span[], start: number, end: number) =>
  spans.some((s) => start >= s.start && end <= s.end);

type Piece =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'reference'; start: number; end: number; id: string; fact: Fact | undefined }
  | { kind: 'number'; start: number; end: number };

/** The text cut into the model's words, references, and figures of its own (digit runs outside known names). */
function pieces(text: string, facts: ReadonlyMap<string, Fact>, names: readonly string[]): Piece[] {
  const spans = nameSpans(text, names);
  const out: Piece[] = [];
  const words = (start: number, end: number) => {
    let from = start;
    for (const match of text.slice(start, end).matchAll(OWN_NUMBER)) {
      const at = start + match.index;
      if (within(spans, at, at + match[0].length)) continue;
      if (at > from) out.push({ kind: 'text', start: from, end: at });
      out.push({ kind: 'number', start: at, end: at + match[0].length });
      from = at + match[0].length;
    }
    if (end > from) out.push({ kind: 'text', start: from, end });
  };
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    words(last, match.index);
    out.push({
      kind: 'reference',
      start: match.index,
      end: match.index + match[0].length,
      id: match[1]!,
      fact: facts.get(match[1]!),
    });
    last = match.index + match[0].length;
  }
  words(last, text.length);
  return out;
}

/** What is wrong with a text the model wrote, one line each; none: it may be shown. */
export function problemsOf(text: string, facts: ReadonlyMap<string, Fact>, names: readonly string[]): string[] {
  const problems: string[] = [];
  for (const piece of pieces(text, facts, names)) {
    const written = text.slice(piece.start, piece.end);
    if (piece.kind === 'reference' && !piece.fact) problems.push(`{${piece.id}} is not a reference of the input`);
    if (piece.kind === 'number') problems.push(`"${written}" is a number of its own: write a figure's reference`);
    if (piece.kind === 'text' && /[{}]/.test(written))
      problems.push(`a brace outside a reference: "${written.trim()}"`);
  }
  return [...new Set(problems)];
}

/** Joins neighbouring words into one part. */
function push(parts: Part[], part: Part): void {
  const last = parts.at(-1);
  if (last && last.ref === null && part.ref === null) last.text += part.text;
  else if (part.text !== '') parts.push(part);
}

interface Rendering {
  parts: Part[];
  removed: number;
  cited: Set<number>;
}

/** Adds the pieces of `text` from `from` on to a rendering: references as the engine's figures, figures of the model's own left out. */
function renderInto(into: Rendering, text: string, list: readonly Piece[], from: number): void {
  for (const piece of list) {
    if (piece.end <= from) continue;
    if (piece.kind === 'reference' && piece.fact) {
      const { text: shown, id: ref, recommendation, money } = piece.fact;
      push(into.parts, { text: shown, ref, recommendation, money });
      if (piece.fact.recommendation !== null) into.cited.add(piece.fact.recommendation);
    } else if (piece.kind === 'text') {
      push(into.parts, { text: text.slice(Math.max(piece.start, from), piece.end), ...WORDS });
    } else {
      // A number of its own, or a reference to nothing.
      into.removed += 1;
      push(into.parts, { text: REMOVED, ...WORDS });
    }
  }
}

/** Renders a text: references become the engine's figures; anything unusable is left out and counted. */
export function render(text: string, facts: ReadonlyMap<string, Fact>, names: readonly string[]): Rendering {
  const rendering: Rendering = { parts: [], removed: 0, cited: new Set() };
  renderInto(rendering, text, pieces(text, facts, names), 0);
  return rendering;
}

/** The last whitespace at or before `position`, -1 when none. */
function lastSpace(text: string, position: number): number {
  for (let i = Math.min(position, text.length - 1); i >= 0; i--) if (/\s/.test(text[i]!)) return i;
  return -1;
}

/**
 * Renders a text as it streams in: a part is given out once nothing that follows can change
 * it — not within a reference still open, a number or word still being written, or a known
 * name that may be cut. Everything given out, `end()` included, is `render` of the whole.
 */
export class StreamingRenderer {
  private text = '';
  private shown = 0;
  private readonly holdBack: number;
  private readonly rendering = { removed: 0, cited: new Set<number>() };

  constructor(
    private readonly facts: ReadonlyMap<string, Fact>,
    private readonly names: readonly string[],
  ) {
    this.holdBack = Math.max(0, ...names.map((n) => n.length));
  }

  get removed(): number {
    return this.rendering.removed;
  }

  get cited(): ReadonlySet<number> {
    return this.rendering.cited;
  }

  push(delta: string): Part[] {
    this.text += delta;
    return this.emit(this.safeEnd());
  }

  end(): Part[] {
    return this.emit(this.text.length);
  }

  /** Where the text can be cut now: after a space, before an open brace, outside a reference or a name. */
  private safeEnd(): number {
    const text = this.text;
    let cut = lastSpace(text, text.length - 1 - this.holdBack) + 1;
    const open = text.lastIndexOf('{');
    if (open !== -1 && !text.includes('}', open) && text.length - open <= 64) cut = Math.min(cut, open);
    const references = [...text.matchAll(REFERENCE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
    for (const span of [...references, ...nameSpans(text, this.names)]) {
      if (cut > span.start && cut < span.end) cut = span.start;
    }
    return Math.max(cut, this.shown);
  }

  private emit(to: number): Part[] {
    if (to <= this.shown) return [];
    // Pieces are found in the whole text so far (names and references in context), kept to the new stretch.
    const text = this.text.slice(0, to);
    const fresh: Rendering = { parts: [], removed: 0, cited: this.rendering.cited };
    renderInto(fresh, text, pieces(text, this.facts, this.names), this.shown);
    this.rendering.removed += fresh.removed;
    this.shown = to;
    return fresh.parts;
  }
}
