<?php
// Verify a Konfirmado callback: X-Konfirmado-Signature and the Standard Webhooks headers.
//
// Usage: php verify.php HEADERS.json BODY_FILE, with the secret in the environment variable
// KONFIRMADO_CALLBACK_SECRET (not on the command line, where ps shows it).
// In a web page, the raw body is file_get_contents('php://input') and the headers are
// array_change_key_case(getallheaders(), CASE_LOWER).

const TOLERANCE = 300; // seconds between the callback's timestamp and now

function fresh(string $timestamp): bool
{
    return abs(time() - (int) $timestamp) <= TOLERANCE;
}

// X-Konfirmado-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
function konfirmado_valid(string $secret, array $headers, string $body): bool
{
    $parts = [];
    foreach (explode(',', $headers['x-konfirmado-signature'] ?? '') as $item) {
        $pair = explode('=', $item, 2);
        if (count($pair) === 2) {
            $parts[$pair[0]] = $pair[1];
        }
    }
    $t = $parts['t'] ?? '';
    $v1 = $parts['v1'] ?? '';
    if (!preg_match('/^[0-9]+$/D', $t) || $v1 === '') {
        return false;
    }
    $want = hash_hmac('sha256', $t . '.' . $body, $secret);
    return hash_equals($want, $v1) && fresh($t);
}

// webhook-signature: v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>
function standard_webhooks_valid(string $secret, array $headers, string $body): bool
{
    $id = $headers['webhook-id'] ?? '';
    $ts = $headers['webhook-timestamp'] ?? '';
    if ($id === '' || !preg_match('/^[0-9]+$/D', $ts)) {
        return false;
    }
    $want = 'v1,' . base64_encode(hash_hmac('sha256', $id . '.' . $ts . '.' . $body, $secret, true));
    foreach (explode(' ', $headers['webhook-signature'] ?? '') as $given) { // one or more
        if (hash_equals($want, $given)) {
            return fresh($ts);
        }
    }
    return false;
}

$secret = (string) getenv('KONFIRMADO_CALLBACK_SECRET');
[, $headersFile, $bodyFile] = $argv;
$headers = array_change_key_case(json_decode(file_get_contents($headersFile), true), CASE_LOWER);
$body = file_get_contents($bodyFile);
$ok = true;
foreach (['X-Konfirmado-Signature' => 'konfirmado_valid', 'Standard Webhooks' => 'standard_webhooks_valid']
         as $scheme => $check) {
    $valid = $check($secret, $headers, $body);
    $ok = $ok && $valid;
    echo $scheme, ': ', $valid ? 'valid' : 'invalid', "\n";
}
exit($ok ? 0 : 1);
