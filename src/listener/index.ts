/**
 * `outbound listen`: a receiver for developing and testing integrations. It answers every
 * request (failing a share on purpose when asked) and reports what schema 1 would not accept.
 */
export { type AnswerOptions, answerPolicy, describeAnswers } from './answer-policy.js';
export { formatJson, formatLine, quote, type ReceivedRecord } from './format.js';
export { type IncomingRequest, type Inspection, inspectRequest } from './inspect.js';
export { Listener, type ListenerOptions, type ListenerStats, summarize } from './listener.js';
export { createOutput, type Output, type OutputOptions, wantsColor } from './output.js';
export {
  type RecipientOptionsSeen,
  recipientOptionNotes,
  recipientOptionsSeen,
} from './recipient-options.js';
