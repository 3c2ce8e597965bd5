/**
 * The `yaml` package (https://eemeli.org/yaml/), loaded on first use: it is about 70 CommonJS modules, some 45 ms of
 * CPU at start-up, and a scan that reads no YAML (an empty folder, a tree of code and JSON) never needs it. Node
 * resolves `yaml` to the same CommonJS build for `import` and `require`, so every caller shares one instance.
 */
import { createRequire } from "node:module";

type Yaml = typeof import("yaml");

let loaded: Yaml | undefined;

/** The `yaml` module, loaded once. @throws whatever loading the package throws (a broken install). */
export function yaml(): Yaml {
  return (loaded ??= createRequire(import.meta.url)("yaml") as Yaml);
}
