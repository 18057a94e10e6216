import type { MailRelay } from '../alerts/mail-relay.js';
import type { DestinationPolicy } from '../delivery/destination-policy.js';
import type { Dispatcher } from '../delivery/index.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { Store } from '../store/store.js';
import type { TokenAuth } from './auth.js';

/** What the routes work with. */
export interface ApiContext {
  store: Store;
  committer: GroupCommitter;
  dispatcher: Dispatcher;
  auth: TokenAuth;
  /** The SMTP relay (Settings → Email): alerts, test mails, its status on the pages. */
  mail: MailRelay;
  clock: () => number;
  /** False once shutdown began: /readyz answers 503. */
  isReady: () => boolean;
  /** Where deliveries may connect; saving a recipient warns about a refused URL. */
  destinations?: DestinationPolicy;
}
