/** Runs the CLI from src/ (not dist/) in a child process, for CLI tests: `node --import tsx test/helpers/cli.ts ARGS`. */
import { main } from '../../src/cli/main';

main(['node', 'detbench', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
