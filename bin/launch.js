// Shared by the launchers in this folder: loads the compiled console tools from ../dist/console/
// (built from src/console/ by `npm run build`) and runs one program; a clear message instead of
// a stack trace when the build is missing.
export async function launch(program) {
  let main;
  try {
    main = await import('../dist/console/main.js');
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/console/main.js')) {
      process.stderr.write(`${program}: dist/console/main.js is missing; run \`npm run build\` first.\n`);
      process.exit(1);
    }
    throw error;
  }
  await main.runFromCommandLine(program);
}
