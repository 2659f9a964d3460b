#!/usr/bin/env node
// tracker-loadtest udp HOST:PORT | http URL [options]: load tester for your own tracker deployment.
// Loads the compiled tool from ../dist/loadtest/ (built from src/loadtest/ by `npm run build`).
let main;
try {
  main = await import('../dist/loadtest/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/loadtest/main.js')) {
    process.stderr.write('tracker-loadtest: dist/loadtest/main.js is missing; run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
}
await main.runFromCommandLine();
