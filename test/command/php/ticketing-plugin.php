<?php
/*
 * A ticketing plugin as integrators write them for the appliance, run by PHP's built-in web
 * server as the outbound events' receiver: it reads each event from $_POST; on
 * support_conference_begin it opens a ticket and sets the ticket number as the session's
 * external key through the Command API (form POST, Bearer token, the answer read with DOM).
 * Every event, and what the Command API answered, is appended as a JSON line to TICKETING_LOG.
 */
$log = getenv('TICKETING_LOG');
$site = getenv('OUTBOUND_URL');
$token = getenv('OUTBOUND_TOKEN');

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    echo 'POST only';
    return;
}

$entry = ['event' => $_POST];
if (($_POST['event'] ?? '') === 'support_conference_begin' && !isset($_POST['external_key'])) {
    $ticket = 'TICKET-' . strtoupper(substr($_POST['lsid'], 0, 8));
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Authorization: Bearer {$token}\r\n"
            . "Content-Type: application/x-www-form-urlencoded\r\n"
            . "Connection: close\r\n",
        'content' => http_build_query([
            'action' => 'set_session_attributes',
            'lsid' => $_POST['lsid'],
            'session.custom.external_key' => $ticket,
        ]),
        'ignore_errors' => true,
        'timeout' => 10,
    ]]);
    $xml = file_get_contents("{$site}/api/command", false, $context);
    $answer = ['ticket' => $ticket, 'status' => $http_response_header[0] ?? null];
    $doc = new DOMDocument();
    if ($xml !== false && $doc->loadXML($xml, LIBXML_NONET)) {
        $root = $doc->documentElement;
        $answer['root'] = $root->localName;
        $answer['namespace'] = $root->namespaceURI;
        $answer['text'] = $root->textContent;
    } else {
        $answer['unreadable'] = $xml;
    }
    $entry['command'] = $answer;
}
file_put_contents($log, json_encode($entry) . "\n", FILE_APPEND | LOCK_EX);
http_response_code(200);
echo 'OK';
