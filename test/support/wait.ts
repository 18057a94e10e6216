/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws `what`). The
 * deadline is on the monotonic clock: a wall clock stepped forward (a VM's time sync) once made
 * a 4.5 s test report "timed out after 10000 ms".
 */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 10,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
