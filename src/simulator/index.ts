/**
 * `outbound simulate`: realistic support sessions driven through the sessions API. The
 * scenario generator is a pure function of (seed, session index); the runner paces it.
 */
export { ApiCallError, ApiClient, type LiveSession, performStep } from './api-client.js';
export {
  prepareCustomFields,
  SIMULATED_FIELDS,
  type SimulatedField,
} from './custom-fields.js';
export { CUSTOMERS, REPRESENTATIVES, TEAMS } from './people.js';
export { checkService } from './preflight.js';
export { formatSummary, ProgressDisplay, progressBar, progressLine } from './progress.js';
export {
  type SessionOutcome,
  Simulation,
  type SimulationOptions,
  type SimulationProgress,
  type SimulationResult,
} from './runner.js';
export { sessionSteps } from './scenario.js';
export { type ExpectedEvent, expectedEvents, type Owner, type Step } from './steps.js';
