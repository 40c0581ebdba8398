/** The subcommands, in the order `detbench --help` lists them. */
import type { Command } from 'commander';
import { register as detect } from './detect';
import { register as synth } from './synth';
import { register as evaluate } from './eval';
import { register as inspect } from './inspect';
import { register as exportCmd } from './export';
import { register as profile } from './profile';
import { register as build } from './build';
import { register as bench } from './bench';
import { register as story } from './story';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  detect, synth, evaluate, inspect, exportCmd, profile, build, bench, story,
];
