// The `lifeline` command line: the same core as the extension, for agents, CI and people.
import { runCli } from './run';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
