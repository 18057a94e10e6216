export { type ApiOptions, apiPlugin } from './plugin.js';
