#!/usr/bin/env node
'use strict';
// The CLI is compiled to dist/ by `npm run build`, which `npm ci` runs through the prepare script.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('siren: not built yet (dist/ is missing). Run `npm ci` or `npm run build` first.');
  process.exit(1);
}
require(entry);
