// The scan worker's entry: bundled as dist/scan-worker.js, and run from the TypeScript sources
// under tests. (main.ts does the same, for a CLI bundle without this file beside it.)
import { workerData } from 'node:worker_threads';
import { isScanJob, runScanWorker } from './parallel-scan';

if (isScanJob(workerData)) runScanWorker(workerData);
