/** Where the embedded store lives when no OUTBOUND_DATABASE_URL is given. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/outbound.db';
