// The `lifeline` command line: the same core as the extension, for agents, CI and people.
import { isMainThread, workerData } from 'node:worker_threads';
import { runCli } from './run';
import { isScanJob, runScanWorker } from './parallel-scan';

// The bundle is also the scan worker's entry (a large file is scanned on several threads).
if (!isMainThread && isScanJob(workerData)) runScanWorker(workerData);
else
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
