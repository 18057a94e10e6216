/** The administration interface at /login: users, sessions, pages, audit log. */
export { type AdminOptions, adminPlugin } from './plugin.js';
export { setupLinkIfNoAdmin } from './setup-link.js';
