/**
 * PHP for the reporting tests: Debian's php-cli with php-xml (DOM, and libxml2's XML Schema
 * validation). .ci/run installs both; without them the tests fail saying so, never skip.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requirePhp as requirePhpFor } from '../support/php.js';

export const XSD_PATH = fileURLToPath(
  new URL('../../src/reporting/reporting.xsd', import.meta.url),
);

/** Throws with what to install when php or its DOM extension is missing. */
export const requirePhp = (): void => requirePhpFor('the reporting tests');

/** Runs `php -r code` with `input` on stdin; its stdout. */
export function runPhp(code: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'php',
      ['-r', code],
      { maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`php failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(input);
  });
}

const VALIDATE = `
libxml_use_internal_errors(true);
$doc = new DOMDocument();
$xml = stream_get_contents(STDIN);
if (!$doc->loadXML($xml, LIBXML_NONET)) {
  foreach (libxml_get_errors() as $e) echo "not well-formed: line {$e->line}: " . trim($e->message) . "\\n";
  exit(0);
}
if (!$doc->schemaValidate($argv[1] ?? getenv('XSD'))) {
  foreach (libxml_get_errors() as $e) echo "line {$e->line}: " . trim($e->message) . "\\n";
}
`;

/**
 * What libxml2 finds wrong with `xml`: not well-formed, or not valid against reporting.xsd.
 * Empty when the document is valid.
 */
export async function schemaErrors(xml: string): Promise<string[]> {
  requirePhp();
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      'php',
      ['-r', VALIDATE],
      { env: { ...process.env, XSD: XSD_PATH }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`php failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(xml);
  });
  return out.split('\n').filter((line) => line !== '');
}
