/** What a command may touch: its output streams, the working folder and the environment (tests pass fakes). */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  stderrIsTTY?: boolean;
}
