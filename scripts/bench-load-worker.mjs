// autocannon in its own thread (bench-load.ts): the load generator does not share the server's event
// loop, so the server under bench spends its thread on requests only, as it does in service.
// Plain JavaScript: a worker thread is started without tsx's loader.
import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

const { url, method, headers, connections, duration, rate, paths, bodies } = workerData;
const samples = [];
let errors = 0;
let turn = 0;
const request = {
  setupRequest: (req) => {
    const i = turn++;
    return {
      ...req,
      ...(paths ? { path: paths[i % paths.length] } : {}),
      ...(bodies ? { body: bodies[i % bodies.length] } : {}),
    };
  },
};
const instance = autocannon(
  {
    url,
    method,
    headers,
    connections,
    duration,
    ...(rate ? { overallRate: rate } : {}),
    ...(paths || bodies ? { requests: [request] } : {}),
  },
  (error) => {
    if (error) throw error;
    // Inside a worker thread autocannon returns raw histograms: the rate is the answers received
    // during the run over its duration (what autocannon's average of per-second counts gives).
    parentPort.postMessage({ samples, errors, rps: samples.length / duration });
  },
);
instance.on("response", (_client, statusCode, _bytes, responseTime) => {
  samples.push(responseTime);
  if (statusCode >= 300) errors += 1;
});
