export { type AppOptions, buildApp } from './app.js';
export { hashToken, newToken, TokenAuth } from './auth.js';
export type { ApiContext } from './context.js';
