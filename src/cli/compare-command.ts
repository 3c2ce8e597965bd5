/**
 * `aiprov compare <A> <B>`: compares two models (local folders, or Hub ids read by byte ranges) component by
 * component and prints every signal and a verdict.
 */
import { Command, Option } from "commander";
import { compareModels, type ComponentSelector } from "../fingerprint/compare.js";
import { openModel } from "../fingerprint/open.js";
import { renderComparisonText } from "../report/comparison-text.js";
import { addHubOptions, modelOpenOptions } from "./hub-options.js";
import type { CliIO } from "./io.js";
import { displaySafe } from "../report/escape.js";

/** Registers the compare command. */
export function registerCompareCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cmd = program
    .command("compare")
    .description(
      "Compare two models' weights, configs and layouts per component: identical / derived / same architecture only / unrelated / undetermined.",
    )
    .argument("<a>", "model folder (with *.safetensors) or Hub id")
    .argument("<b>", "model folder (with *.safetensors) or Hub id")
    .addOption(
      new Option("--component <kind>", "component to compare")
        .choices(["vision", "audio", "text", "all"])
        .default("all"),
    )
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--offline", "make no network request (Hub ids are refused)");
  addHubOptions(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ aiprov compare ./upstream ./submission/vision --component vision
  $ aiprov compare Qwen/Qwen2.5-VL-7B-Instruct ./submission --component vision --format json`,
    )
    .action(
      async (
        a: string,
        b: string,
        opts: { component: ComponentSelector; format: "text" | "json"; offline?: boolean },
      ) => {
        const open = modelOpenOptions(opts, io);
        const sa = await openModel(a, open);
        try {
          const sb = await openModel(b, open);
          try {
            const result = await compareModels(sa, sb, opts.component);
            io.stdout(
              opts.format === "json"
                ? `${JSON.stringify(result, null, 2)}\n`
                : renderComparisonText(displaySafe(result)),
            );
            state.exitCode = 0;
          } finally {
            await sb.close();
          }
        } finally {
          await sa.close();
        }
      },
    );
}
