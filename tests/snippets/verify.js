// Verify a Konfirmado callback: X-Konfirmado-Signature and the Standard Webhooks headers.
//
// Usage: node verify.js HEADERS.json BODY_FILE, with the secret in the environment variable
// KONFIRMADO_CALLBACK_SECRET (not on the command line, where ps shows it).
// In a web server, pass the request's headers (names in lower case, as Node gives them) and
// its raw body (a Buffer, before any JSON parsing) to the two functions below.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');

const TOLERANCE = 300; // seconds between the callback's timestamp and now

function fresh(timestamp) {
  return Math.abs(Date.now() / 1000 - Number(timestamp)) <= TOLERANCE;
}

function sameText(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

// X-Konfirmado-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
function konfirmadoValid(secret, headers, body) {
  const parts = {};
  for (const item of (headers['x-konfirmado-signature'] || '').split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) parts[item.slice(0, eq)] = item.slice(eq + 1);
  }
  if (!/^[0-9]+$/.test(parts.t || '') || !parts.v1) return false;
  const want = crypto.createHmac('sha256', secret).update(parts.t + '.').update(body).digest('hex');
  return sameText(want, parts.v1) && fresh(parts.t);
}

// webhook-signature: v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>
function standardWebhooksValid(secret, headers, body) {
  const id = headers['webhook-id'] || '';
  const ts = headers['webhook-timestamp'] || '';
  if (!id || !/^[0-9]+$/.test(ts)) return false;
  const mac = crypto.createHmac('sha256', secret).update(`${id}.${ts}.`).update(body).digest('base64');
  const given = (headers['webhook-signature'] || '').split(' '); // one or more, space-separated
  return given.some((sig) => sameText('v1,' + mac, sig)) && fresh(ts);
}

const secret = process.env.KONFIRMADO_CALLBACK_SECRET || '';
const [headersFile, bodyFile] = process.argv.slice(2);
const headers = {};
for (const [name, value] of Object.entries(JSON.parse(fs.readFileSync(headersFile, 'utf8')))) {
  headers[name.toLowerCase()] = value;
}
const body = fs.readFileSync(bodyFile);
let ok = true;
for (const [scheme, check] of [['X-Konfirmado-Signature', konfirmadoValid],
  ['Standard Webhooks', standardWebhooksValid]]) {
  const valid = check(secret, headers, body);
  ok = ok && valid;
  console.log(`${scheme}: ${valid ? 'valid' : 'invalid'}`);
}
process.exitCode = ok ? 0 : 1;
