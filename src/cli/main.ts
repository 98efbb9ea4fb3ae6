// The `lifeline` command line: the same core as the extension, for agents, CI and people.
import { isMainThread, workerData } from 'node:worker_threads';
import { dispatch } from './dispatch';
import { isScanJob, runScanWorker } from './parallel-scan';

// The bundle is also the scan worker's entry (a large file is scanned on several threads).
if (!isMainThread && isScanJob(workerData)) runScanWorker(workerData);
else {
  // A reader that stops early (`lifeline playbooks list | head -1`) closes the pipe: stop quietly,
  // as other command-line tools do, instead of a stack trace for an EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  void dispatch(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
