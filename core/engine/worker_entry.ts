/**
 * The module generation workers start from (see parallel.ts).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { serveGenerationJobs } from "./worker.ts";

serveGenerationJobs();
