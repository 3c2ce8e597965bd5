#!/usr/bin/env node
// Entry point of the aiprov CLI: runs the built program in dist/ and sets the exit code.
import { run } from "../dist/cli/main.js";

// A reader that stops early (`aiprov scan | head`) closes the pipe: that is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// An error that escapes every handler (an unhandled rejection in a library, a throw in a callback) is still "the
// tool could not do its job": one line on stderr and exit 2, never a stack trace with the findings' exit code 1.
const fatal = (err) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(
    `aiprov: internal error: ${message.split("\n")[0]}${process.env.AIPROV_DEBUG ? `\n${err?.stack ?? ""}` : ""}\n`,
  );
  process.exit(2);
};
process.on("unhandledRejection", fatal);
process.on("uncaughtException", fatal);

const code = await run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
