import type { SignIn } from '../credentials/sign-in.js';
import type { OperationsContext } from '../operations/context.js';
import type { DeliveryRate } from './delivery-rate.js';
import type { RecipientStream } from './recipient-stream.js';
import type { WebSessions } from './web-sessions.js';

/** What the admin routes work with. */
export interface AdminContext {
  api: OperationsContext;
  sessions: WebSessions;
  signIn: SignIn;
  stream: RecipientStream;
  rate: DeliveryRate;
}
