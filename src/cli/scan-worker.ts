// The scan worker's entry when running from the TypeScript sources (tests); the built bundle
// uses main.ts, which does the same.
import { workerData } from 'node:worker_threads';
import { isScanJob, runScanWorker } from './parallel-scan';

if (isScanJob(workerData)) runScanWorker(workerData);
