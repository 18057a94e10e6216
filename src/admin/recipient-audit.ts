// Shared with the API and the command line, which audit their recipient changes too.
export { recipientSnapshot, recipientTarget } from '../operations/recipient-audit.js';
