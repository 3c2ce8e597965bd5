/**
 * The `*` wildcard matcher rule packs and waivers use for names, repos, licences and paths: `*` matches any run of
 * characters (including `/`), everything else is literal, case-insensitive, anchored at both ends.
 * Patterns are compiled once and cached: the policy engine matches them for every node of every rule.
 */
const compiled = new Map<string, RegExp>();

/** True when `value` matches `pattern` (`*` = any characters). */
export function wildcardMatch(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
    compiled.set(pattern, re);
  }
  return re.test(value);
}
