// One Lambda execution environment: a worker thread that imports the function's bundle once
// (the init phase) and then runs one invocation at a time, as the Lambda runtime does.
// Plain JavaScript: worker threads load it directly, outside any TypeScript loader.
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** @param {unknown} error */
function serializeError(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

/** Runs a handler written either as an async function or in the callback style. */
function runHandler(handler, event, context) {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const callback = (error, result) => (error ? reject(error) : resolve(result));
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

const { handlerFile, handlerExport } = workerData;
let handler;
try {
  const module = await import(pathToFileURL(handlerFile).href);
  handler = module[handlerExport] ?? module.default?.[handlerExport];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${handlerFile} does not export a function "${handlerExport}"`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: serializeError(error) });
}

parentPort.on('message', async (message) => {
  if (message.type !== 'invoke' || !handler) return;
  const { id, event, context: fields, deadline, invocationEnv } = message;
  Object.assign(process.env, invocationEnv);
  const context = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await runHandler(handler, event, context);
    // Lambda returns the JSON serialization of the result.
    parentPort.postMessage({ type: 'result', id, ok: true, payload: JSON.stringify(result ?? null) });
  } catch (error) {
    parentPort.postMessage({ type: 'result', id, ok: false, error: serializeError(error) });
  }
});
