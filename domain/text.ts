/**
 * The input-text rule, pure and dependency-free (the workflow bundle imports it): U+0000, other C0
 * control characters (tab and newline only in multi-line text) and lone UTF-16 surrogates are
 * not text the shop accepts or stores. Postgres refuses NUL in text (22021) and in jsonb (22P05).
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_SINGLE_LINE = /[\u0000-\u001F]|\p{Cs}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_MULTI_LINE = /[\u0000-\u0008\u000B-\u001F]|\p{Cs}/u;

/** Why `s` is refused as input text, or undefined when it is fine. */
export function unsafeTextReason(s: string, multiline = false): string | undefined {
  const m = (multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).exec(s);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  if (code === 0) return 'must not contain NUL (U+0000)';
  if (code < 0x20) return `must not contain control characters (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return 'must not contain lone surrogates (not valid Unicode)';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_MULTI_LINE_ALL = /[\u0000-\u0008\u000B-\u001F]|\p{Cs}/gu;

/** Multi-line text with every refused character replaced by U+FFFD: storable whatever it held. */
export function storableText(s: string): string {
  return s.replace(UNSAFE_MULTI_LINE_ALL, '\uFFFD');
}
