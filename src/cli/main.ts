// Entry point of the `kindred` command: picks the sub-command, turns any AppError into one
// clear sentence and a non-zero exit code (issue 2 §9).
import { isAppError } from '../platform/http/errors.js';
import { loadConfig } from '../platform/config.js';
import type { Command, CommandIO } from './command.js';
import { commands } from './commands/index.js';

// Output piped into a command that stops reading early (`kindred … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const io: CommandIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Usage: kindred <command>',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands
    .filter((c) => c.name.every((word, i) => argv[i] === word))
    .sort((a, b) => b.name.length - a.name.length);
  const command = matches[0];
  return command ? { command, rest: argv.slice(command.name.length) } : undefined;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.out(usage());
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`Unknown command "${argv.join(' ')}".`);
    io.err(usage());
    return 2;
  }
  const config = loadConfig();
  return found.command.run(found.rest, config, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isAppError(error)) {
      io.err(error.message);
    } else {
      io.err(
        `Kindred stopped because of an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (process.env.KINDRED_DEBUG_ERRORS === '1' && error instanceof Error) io.err(error.stack ?? '');
    }
    process.exitCode = 1;
  },
);
