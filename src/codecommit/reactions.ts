import type { ReactionValueFormats } from '@aws-sdk/client-codecommit';

/**
 * The reactions CodeCommit accepts on comments. A reaction may be given as its emoji, its short code
 * or its Unicode code point; it is stored and counted by its short code.
 */
const REACTIONS: Required<ReactionValueFormats>[] = [
  { emoji: '👍', shortCode: ':thumbsup:', unicode: 'U+1F44D' },
  { emoji: '👎', shortCode: ':thumbsdown:', unicode: 'U+1F44E' },
  { emoji: '😆', shortCode: ':laughing:', unicode: 'U+1F606' },
  { emoji: '🎉', shortCode: ':tada:', unicode: 'U+1F389' },
  { emoji: '😕', shortCode: ':confused:', unicode: 'U+1F615' },
  { emoji: '❤️', shortCode: ':heart:', unicode: 'U+2764' },
  { emoji: '🚀', shortCode: ':rocket:', unicode: 'U+1F680' },
  { emoji: '👀', shortCode: ':eyes:', unicode: 'U+1F440' },
];

/** The reaction a value names, `null` for the values that remove one, undefined when not a reaction. */
export function reactionFor(value: string): Required<ReactionValueFormats> | null | undefined {
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'none') return null;
  const bare = v.replace(/\uFE0F/g, '');
  return REACTIONS.find((r) => r.shortCode === v || r.unicode === v.toUpperCase() || r.emoji.replace(/\uFE0F/g, '') === bare);
}

export function reactionByShortCode(shortCode: string): Required<ReactionValueFormats> {
  return REACTIONS.find((r) => r.shortCode === shortCode)!;
}
