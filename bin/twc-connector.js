#!/usr/bin/env node
'use strict';
// The command line is TypeScript; tsx compiles it on the fly (Node tools only: the upload bundle is
// built separately by `build`). ESM-only dependencies (p-retry) load through Node's require(esm).
require('tsx/cjs');
const { main } = require('../cli/main.ts');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
