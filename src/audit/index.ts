/*
 * The audit log's writer, shared by the three ways to change things (admin pages, API, command
 * line), below all of them: it imports only the store.
 */
export { apiActor, cliActor } from './actor.js';
export { maskSecrets } from './mask.js';
export { type AuditLog, NO_LOG, recordAudit } from './record.js';
