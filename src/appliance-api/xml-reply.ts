import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** The namespaces of a "Bomgar Box" era appliance, which clients that hard-code them expect. */
export const REPORTING_NS = 'http://www.bomgar.com/namespaces/API/reporting';
export const COMMAND_NS = 'http://www.bomgar.com/namespaces/API/command';

export const XML_CONTENT_TYPE = 'text/xml; charset=UTF-8';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Text and attribute values: the five characters XML gives a meaning to. */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

// Characters XML 1.0 cannot carry even escaped: a message quoting a caller's bytes drops them.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Sends an XML document (text or a stream of UTF-8 text) as the appliance does. */
export function sendXml(reply: FastifyReply, xml: string | Readable, status = 200): FastifyReply {
  return reply.status(status).type(XML_CONTENT_TYPE).send(xml);
}

/**
 * `<error xmlns="…">message</error>` as the root, which both kinds of client read: those that
 * check the root's name and those that match `<error>Login failed</error>` as text (no
 * attributes but the namespace, no whitespace inside). HTTP 200 unless told otherwise: the
 * appliance answers its errors with 200 and clients read the body, not the status.
 */
export function sendXmlError(
  reply: FastifyReply,
  namespace: string,
  message: string,
  status = 200,
): FastifyReply {
  return sendXml(reply, xmlError(namespace, message), status);
}

/** The error document itself (for a test or a log). */
export function xmlError(namespace: string, message: string): string {
  const text = escapeXmlText(message.replace(NOT_XML, ''));
  return `${XML_DECLARATION}<error xmlns="${escapeXmlText(namespace)}">${text}</error>\n`;
}
