/**
 * The `*` wildcard matcher rule packs and waivers use for names, repos, licences and paths: `*` matches any run of
 * characters (including `/`), everything else is literal, case-insensitive, anchored at both ends.
 *
 * No regular expression: a pattern with several `*` compiled to `.*a.*a.*b` backtracks polynomially (a waiver or
 * pack from the scanned repository could stall the scan; picomatch's compiled regexes do the same). This is the
 * classic greedy matcher that only ever returns to the last `*`: at most pattern length × value length steps.
 */

/** True when `value` matches `pattern` (`*` = any characters, case-insensitive). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && p[pi] !== "*" && p[pi] === v[vi]) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}
