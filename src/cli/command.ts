// The shape of a `kindred` sub-command. Each command lives in ./commands/<name>.ts.
import type { Config } from '../platform/config.js';

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal (progress bars draw only then). */
  interactive: boolean;
}

export interface Command {
  /** Words that select it, e.g. ['region', 'load']. */
  name: string[];
  usage: string;
  summary: string;
  run(args: string[], config: Config, io: CommandIO): Promise<number>;
}
