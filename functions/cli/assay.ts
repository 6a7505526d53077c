/**
 * `npx assay`: runs the command line (cli.ts) and turns its outcome into an exit code. What a
 * person can get wrong is reported in one line; anything else is a bug, still reported in one
 * line (ASSAY_DEBUG=1 prints its stack).
 */
import { CliError, main } from './cli.ts';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
  env: process.env,
  tty: Boolean(process.stderr.isTTY),
};

// A reader that stops early (`assay export ... | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of Node's unhandled EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`assay: ${err.message}\n`);
    for (const line of err.details) process.stderr.write(`${line}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(
      `assay: unexpected error: ${(err as Error)?.message ?? String(err)}${process.env.ASSAY_DEBUG ? `\n${(err as Error)?.stack}` : ' (ASSAY_DEBUG=1 shows where)'}\n`,
    );
    process.exitCode = 1;
  }
}
