export { COMPONENTS } from './components.js';
export { describeRoute, type RouteDescription } from './describe.js';
export { type DescribedRoute, openApiDocument, openApiPath } from './document.js';
