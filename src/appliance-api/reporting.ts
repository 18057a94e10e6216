import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from '../http/access.js';
import type { OperationsContext } from '../operations/context.js';
import { generateReport } from '../operations/reports.js';
import { parseReportRequest, REPORTING_XSD, ReportParameterError } from '../reporting/index.js';
import { applianceParams } from './params.js';
import { REPORTING_NS, sendXml, sendXmlError } from './xml-reply.js';

/*
 * The Reporting API (`/api/reporting`, `/api/reporting.ns`): GET or form POST with
 * `generate_report=`. A parameter problem is a root `<error>` naming the parameter with
 * HTTP 200, as the appliance answers (clients read the body, and the older ones match its
 * text); no session matching is an empty list, also 200. The report streams as it is read.
 */

export function reportingRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  for (const url of ['/api/reporting', '/api/reporting.ns']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      config: { access: 'reporting' },
      handler: (request, reply) => answer(ctx, request, reply),
    });
  }
  // The schema of what the reports contain, public as the appliance's own.
  app.get('/api/reporting.xsd', PUBLIC, (_request, reply) =>
    reply.type('application/xml; charset=UTF-8').send(REPORTING_XSD),
  );
}

async function answer(
  ctx: OperationsContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // The access check let in only callers allowed support session reports (appliance-auth.ts).
  if (request.applianceCaller?.reporting !== true) {
    throw new Error('reporting route reached without a caller allowed to read reports');
  }
  let report: ReturnType<typeof parseReportRequest>;
  try {
    report = parseReportRequest(applianceParams(request));
  } catch (error) {
    if (error instanceof ReportParameterError) return refuse(reply, error.message);
    throw error;
  }
  const stream = await generateReport(ctx, report, REPORTING_NS);
  // A failure after the first bytes cannot become an <error>: the connection is cut, and the
  // client sees a document that is not well-formed rather than a partial report.
  stream.on('error', (error) => request.log.error({ err: error }, 'report failed mid-stream'));
  return sendXml(reply, stream);
}

const refuse = (reply: FastifyReply, message: string) => sendXmlError(reply, REPORTING_NS, message);
