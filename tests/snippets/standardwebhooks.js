// The official Standard Webhooks library verifying a captured Konfirmado callback with the
// whsec_ form of its secret, unchanged: prints "valid" or "invalid: <the library's reason>".
//
// Usage: node standardwebhooks.js HEADERS.json BODY_FILE, with the whsec_ secret in the
// environment variable KONFIRMADO_CALLBACK_WHSEC
'use strict';
const fs = require('node:fs');
const { Webhook } = require('standardwebhooks');

const whsec = process.env.KONFIRMADO_CALLBACK_WHSEC || '';
const [headersFile, bodyFile] = process.argv.slice(2);
const headers = JSON.parse(fs.readFileSync(headersFile, 'utf8'));
const body = fs.readFileSync(bodyFile, 'utf8');
try {
  new Webhook(whsec).verify(body, headers);
  console.log('valid');
} catch (err) {
  console.log(`invalid: ${err.message}`);
  process.exitCode = 1;
}
