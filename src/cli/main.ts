/**
 * `detbench` command line. Each subcommand lives in its own file under `src/cli/` and exports
 * `register(program)`; this file only wires them together.
 *
 * Exit codes: 0 everything succeeded; 1 some input failed (listed in the output); 2 bad usage.
 */
import { Command, CommanderError } from 'commander';
import { DetbenchError, errorText, setDefaultLogger, consoleLogger } from '../core';
import { COMMANDS } from './commands';

export async function main(argv: string[] = process.argv): Promise<number> {
  setDefaultLogger(consoleLogger);
  const program = new Command('detbench')
    .description('Text-detector conversion workbench: export, profiles, engines, benchmarks, CLEval')
    .exitOverride()
    .showHelpAfterError('(run detbench --help for usage)');
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof DetbenchError) {
      process.stderr.write(`detbench: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`detbench: ${errorText(err)}\n`);
    if (process.env.DETBENCH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
