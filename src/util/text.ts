/**
 * Linear-time string trimming and cutting, for the places where a regular expression such as `/\/+$/` or `/#.*$/`
 * would move its start position through a long run of the same character (quadratic time on a hostile file).
 */

/** `s` without the characters of `chars` at its end (`trimEndChars("a//", "/")` is `"a"`). */
export function trimEndChars(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the characters of `chars` at its start. */
export function trimStartChars(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start]!)) start++;
  return start === 0 ? s : s.slice(start);
}

/** `s` without the characters of `chars` at either end. */
export function trimChars(s: string, chars: string): string {
  return trimStartChars(trimEndChars(s, chars), chars);
}

/** `s` up to (not including) the first character of `chars`; all of `s` when it holds none. */
export function cutAtAny(s: string, chars: string): string {
  for (let i = 0; i < s.length; i++) if (chars.includes(s[i]!)) return s.slice(0, i);
  return s;
}
