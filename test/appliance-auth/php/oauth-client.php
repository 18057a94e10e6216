<?php
// An OAuth2 client of the appliance APIs written as integrators write them in PHP: the token
// from /oauth2/token with HTTP Basic (client id and secret), then the API with the Bearer token
// sent back as token_type says, the answer read with DOM. No curl: PHP's http stream wrapper.
// Usage: php oauth-client.php BASE_URL CLIENT_ID CLIENT_SECRET LSID
[$self, $base, $clientId, $clientSecret, $lsid] = $argv;

function post_form(string $url, array $headers, array $fields): array {
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => implode("\r\n", array_merge($headers, [
            'Content-Type: application/x-www-form-urlencoded',
            'Connection: close',
        ])),
        'content' => http_build_query($fields),
        'ignore_errors' => true,
    ]]);
    $body = file_get_contents($url, false, $context);
    preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0] ?? '', $m);
    return [(int) ($m[1] ?? 0), $body];
}

// 1. The token.
[$status, $body] = post_form(
    "$base/oauth2/token",
    ['Authorization: Basic ' . base64_encode("$clientId:$clientSecret")],
    ['grant_type' => 'client_credentials'],
);
if ($status !== 200) { fwrite(STDERR, "token: HTTP $status $body\n"); exit(1); }
$token = json_decode($body, true);
if (!is_array($token) || !isset($token['access_token'], $token['token_type'], $token['expires_in'])) {
    fwrite(STDERR, "token: unexpected answer $body\n"); exit(1);
}
echo "token_type={$token['token_type']} expires_in={$token['expires_in']}\n";

// 2. A report, as a session-end handler fetches it (form POST to the .ns path).
[$status, $xml] = post_form(
    "$base/api/reporting.ns",
    ["Authorization: {$token['token_type']} {$token['access_token']}"],
    ['generate_report' => 'SupportSession', 'lsid' => $lsid],
);
if ($status !== 200) { fwrite(STDERR, "report: HTTP $status $xml\n"); exit(1); }
$doc = new DOMDocument();
if (!$doc->loadXML($xml)) { fwrite(STDERR, "report: not XML\n"); exit(1); }
$root = $doc->documentElement;
if ($root->localName === 'error') { fwrite(STDERR, "report: error {$root->textContent}\n"); exit(1); }
echo "report root={$root->localName} ns={$root->namespaceURI}\n";
foreach ($doc->getElementsByTagName('session') as $session) {
    echo 'session lsid=' . $session->getAttribute('lsid') . "\n";
}

// 3. A wrong secret: the client sees the RFC 6749 error.
[$status, $body] = post_form(
    "$base/oauth2/token",
    ['Authorization: Basic ' . base64_encode("$clientId:wrong")],
    ['grant_type' => 'client_credentials'],
);
$error = json_decode($body, true);
echo "wrong secret: HTTP $status error=" . ($error['error'] ?? '?') . "\n";
