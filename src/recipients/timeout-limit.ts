/**
 * The longest request time-out a recipient may have (`timeoutSeconds`). Receivers of appliance
 * events answer in well under a second; two minutes covers a slow one without letting a hung
 * receiver keep a request open for long. It also bounds how long a hand-over or a PATCH that
 * lengthens the time-out waits for a request in flight. A recipient saved with a longer
 * time-out (earlier versions allowed 600 s) waits at most this long too.
 */
export const MAX_TIMEOUT_SECONDS = 120;
export const MAX_TIMEOUT_MS = MAX_TIMEOUT_SECONDS * 1000;
