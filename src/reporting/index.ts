/**
 * The Reporting API's documents: parameters checked (params.ts), each report written as a
 * stream of XML text (document.ts) by a writer that keeps any string well-formed
 * (xml-writer.ts). The schema of what is written: reporting.xsd beside this file.
 */
export { reportDocument } from './document.js';
export {
  MAX_LSIDS,
  parseReportRequest,
  REPORTS,
  type ReportName,
  ReportParameterError,
  type ReportRequest,
} from './params.js';
export { REPORTING_XSD } from './reporting-xsd.js';
export type { ReportContext } from './session-report.js';
export {
  base64Text,
  escapeAttribute,
  escapeText,
  isXmlText,
  toXmlText,
  XmlWriter,
} from './xml-writer.js';
