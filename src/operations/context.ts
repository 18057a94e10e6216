import type { MailRelay } from '../alerts/mail-relay.js';
import type { DestinationPolicy } from '../delivery/destination-policy.js';
import type { Dispatcher } from '../delivery/index.js';
import type { Store } from '../store/store.js';
import type { Ingest } from './ingest.js';
import type { InstallationId } from './installation.js';
import type { TokenAuth } from './tokens.js';

/** What the use cases work with: the API and the admin interface both hand it over. */
export interface OperationsContext {
  store: Store;
  /** Commits events and session changes, then wakes the lanes they gave work. */
  ingest: Ingest;
  dispatcher: Dispatcher;
  auth: TokenAuth;
  /** The SMTP relay (Settings → Email): alerts, test mails, its status on the pages. */
  mail: MailRelay;
  clock: () => number;
  /** False once shutdown began: /readyz answers 503. */
  isReady: () => boolean;
  /** Where deliveries may connect; saving a recipient warns about a refused URL. */
  destinations?: DestinationPolicy;
  /**
   * OUTBOUND_LEGACY_API_AUTH=true: the appliance APIs may read legacy username/password
   * parameters, if an administrator also turns it on (API Configuration). Default false.
   */
  legacyApiAuth?: boolean;
  /** This installation's id, sent as `appliance_id` (operations/installation.ts). */
  installation?: () => InstallationId;
}
