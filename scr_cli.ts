import { Command } from 'commander';
import { register as p } from '/work/main/src/cli/profile';
import { register as b } from '/work/main/src/cli/build';
const program = new Command('detbench'); p(program); b(program);
program.parseAsync(process.argv).catch((e) => { console.error('ERR', e.constructor.name, e.message); process.exitCode = 2; });
