import type { Command } from 'commander';

// Placeholder until the stage lands; replaced by the real command.
export function register(program: Command): void {
  program.command('story').description('(not built yet)').action(() => {
    throw new Error('detbench story is not implemented yet');
  });
}
