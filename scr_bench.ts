import { run } from './bench/engine';
run({ quick: process.argv[2] === 'quick' }).then((r) => { console.table(r.rows); console.log(r.notes?.join('\n')); });
