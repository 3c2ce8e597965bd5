/**
 * Locations inside the installed package (schemas, bundled rules and knowledge), found from this module's URL so
 * they work from `dist/` after `npm ci` and from a global install alike.
 */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";

/** Absolute path of the package root (the folder holding package.json). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Absolute path of a file in the package, e.g. `packagePath("schemas", "report.schema.json")`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}

/** The tool's version from package.json. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }
).version;
