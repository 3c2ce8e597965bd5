/**
 * `aiprov cache clear` / `aiprov cache dir`: manage aiprov's Hub cache (`AIPROV_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/aiprov`, else `~/.cache/aiprov`). The Hugging Face cache is never touched.
 */
import type { Command } from "commander";
import { aiprovCacheDir, DiskCache } from "../resolve/hub/cache.js";
import type { CliIO } from "./io.js";

/** Registers `aiprov cache`. */
export function registerCacheCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cache = program
    .command("cache")
    .description("Manage aiprov's cache of Hub lineage (never the Hugging Face cache).");
  cache
    .command("clear")
    .description("Delete every cached Hub record and 'latest commit' entry.")
    .action(() => {
      const dir = aiprovCacheDir(io.env);
      const had = new DiskCache(dir).clear();
      io.stdout(had ? `cleared ${dir}\n` : `nothing cached in ${dir}\n`);
      state.exitCode = 0;
    });
  cache
    .command("dir")
    .description("Print the cache directory.")
    .action(() => {
      io.stdout(`${aiprovCacheDir(io.env)}\n`);
      state.exitCode = 0;
    });
}
