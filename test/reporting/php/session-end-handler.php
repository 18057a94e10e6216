<?php
/*
 * A session-end handler as integrators write them for the appliance (ServiceNow and
 * Supportworks do the same), run by PHP's built-in web server as the outbound events'
 * receiver. It reads each event from $_POST; on support_conference_end it takes an OAuth2
 * access token (client credentials, HTTP Basic), fetches
 * generate_report=SupportSession&lsid=… right away (no sleep) and reads the report with DOM,
 * namespace-aware as the vendor's docs advise. Each event, with what it read, is appended as
 * a JSON line to HANDLER_LOG.
 */
$log = getenv('HANDLER_LOG');
$site = getenv('OUTBOUND_URL');
$ns = 'http://www.bomgar.com/namespaces/API/reporting';

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    echo 'POST only';
    return;
}

function http_post($url, $headers, $body)
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => implode("\r\n", array_merge($headers, ['Connection: close'])) . "\r\n",
        'content' => $body,
        'ignore_errors' => true,
        'timeout' => 10,
    ]]);
    $text = file_get_contents($url, false, $context);
    return [$http_response_header[0] ?? null, $text];
}

$entry = ['event' => $_POST];
if (($_POST['event'] ?? '') === 'support_conference_end') {
    $basic = base64_encode(getenv('CLIENT_ID') . ':' . getenv('CLIENT_SECRET'));
    [$status, $json] = http_post(
        "{$site}/oauth2/token",
        ["Authorization: Basic {$basic}", 'Content-Type: application/x-www-form-urlencoded'],
        'grant_type=client_credentials'
    );
    $token = json_decode($json, true);
    [$status, $xml] = http_post(
        "{$site}/api/reporting",
        ["Authorization: {$token['token_type']} {$token['access_token']}",
         'Content-Type: application/x-www-form-urlencoded'],
        http_build_query(['generate_report' => 'SupportSession', 'lsid' => $_POST['lsid']])
    );
    $read = ['status' => $status];
    $doc = new DOMDocument();
    if ($xml !== false && $doc->loadXML($xml, LIBXML_NONET)) {
        $x = new DOMXPath($doc);
        $x->registerNamespace('r', $ns);
        $session = $x->query('/r:session_list/r:session')->item(0);
        $text = function ($path) use ($x, $session) {
            $node = $x->query($path, $session)->item(0);
            return $node === null ? null : $node->textContent;
        };
        $read['root'] = $doc->documentElement->localName;
        $read['lsid'] = $session ? $session->getAttribute('lsid') : null;
        $read['end_time'] = $text('r:end_time');
        $read['end_timestamp'] = $session ? $x->query('r:end_time', $session)->item(0)?->getAttribute('timestamp') : null;
        $read['duration'] = $text('r:duration');
        $read['external_key'] = $text('r:external_key');
        $read['primary_rep'] = $text('r:primary_rep');
        $read['primary_rep_id'] = $session ? $x->query('r:primary_rep', $session)->item(0)?->getAttribute('id') : null;
        $read['primary_customer'] = $text('r:primary_customer');
        $read['customer_company'] = $text('r:customer_list/r:customer/r:info/r:company');
        $read['survey_rating'] = $session
            ? $x->query('r:cust_survey_list/r:cust_exit_survey/r:value[@name="rating"]', $session)->item(0)?->getAttribute('value')
            : null;
        $chat = [];
        foreach ($x->query('r:session_details/r:event[@event_type="Chat Message"]', $session) as $event) {
            $body = $x->query('r:body', $event)->item(0);
            $encoded = $x->query('r:encoded_body', $event)->item(0);
            $chat[] = $body !== null ? $body->textContent : base64_decode($encoded->textContent);
        }
        $read['chat'] = $chat;
        $read['event_types'] = [];
        foreach ($x->query('r:session_details/r:event', $session) as $event) {
            $read['event_types'][] = $event->getAttribute('event_type');
        }
    } else {
        $read['unreadable'] = $xml;
    }
    $entry['report'] = $read;
}
file_put_contents($log, json_encode($entry) . "\n", FILE_APPEND | LOCK_EX);
http_response_code(200);
echo 'OK';
