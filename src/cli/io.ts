// What a subcommand may touch of its process: output streams and environment.

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
}
