/** Option helpers shared by the commands. */

/** Commander reducer for a repeatable option: `--x a --x b` -> `["a", "b"]`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
