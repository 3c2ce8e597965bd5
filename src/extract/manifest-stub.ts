/**
 * The component an unreadable model manifest stands for. A `config.json` or `adapter_config.json` that cannot be read
 * (a parse error, not an object, too large, a link out of the tree, no permission) still says that a model part is
 * there: it becomes an `unparsable` component, which the lineage marks undetermined, so missing data is never a pass.
 * The one home of that stub (the extract runner, the hf-config and PEFT extractors and the scan use it).
 */
import { posix } from "node:path";
import type { ComponentRole, LocalComponent } from "../model/types.js";

/** File names whose presence alone describes a model component. */
const MANIFEST = /(?:^|\/)(?:config|adapter_config)\.json$/;

/** True for a model manifest path (`config.json`, `adapter_config.json`, in any folder). */
export function isModelManifest(path: string): boolean {
  return MANIFEST.test(path);
}

/** Best guess of an unreadable manifest's role from its path (`encoders/vision/config.json` is a vision encoder). */
export function roleFromPath(path: string): ComponentRole {
  if (posix.basename(path) === "adapter_config.json") return "adapter";
  if (/vision|visual|vit|image/i.test(path)) return "vision-encoder";
  if (/audio|speech|whisper/i.test(path)) return "audio-encoder";
  return "model";
}

/**
 * The undetermined component of an unreadable manifest at `path` (root-relative POSIX): named after its folder (the
 * file's name at the root; `adapter` for a root adapter config), with the role {@link roleFromPath} guesses.
 * `opts.line` locates it (1 for a file that was opened), `opts.facts` says why it was not read.
 */
export function manifestStub(
  path: string,
  opts: { line?: number; facts?: Record<string, string> } = {},
): LocalComponent {
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  const manifest = base === "config.json" || base === "adapter_config.json";
  const name = manifest && dir !== "." ? posix.basename(dir) : base === "adapter_config.json" ? "adapter" : base;
  return {
    key: `${path}#`,
    role: roleFromPath(path),
    name,
    location: { file: path, ...(opts.line !== undefined ? { line: opts.line } : {}) },
    unparsable: true,
    ...(opts.facts ? { facts: opts.facts } : {}),
  };
}
