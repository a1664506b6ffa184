#!/usr/bin/env node
// The installed `tsplay` command. It is CommonJS so that `tsplay --version`
// answers before Node starts its ES module loader (about 7 ms of an 85 ms
// start); everything else goes on to the ES module entry point.
// The launcher's first line (scripts/build-launcher.mjs) kept NODE_EXTRA_CA_CERTS
// from this process, which needs no certificates; what tsplay starts gets it back.
if (process.env.TSPLAY_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.TSPLAY_NODE_EXTRA_CA_CERTS;
  delete process.env.TSPLAY_NODE_EXTRA_CA_CERTS;
}
if (process.argv.length === 3 && process.argv[2] === '--version') {
  // dist/bin/tsplay.cjs, or bin/tsplay.cts run from source.
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version: string };
      if (pkg.name !== 'tsplay') continue;
      process.stdout.write(`tsplay ${pkg.version}\n`);
      break;
    } catch {
      // not here
    }
  }
} else {
  void import('./tsplay.js');
}
