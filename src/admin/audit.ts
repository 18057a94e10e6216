// The audit writer lives in src/audit/ (the API and the command line use it too).
export { type AuditLog, maskSecrets, recordAudit } from '../audit/index.js';
