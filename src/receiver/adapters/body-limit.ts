import { ReceiverError, ReceiverErrorCode } from '../errors.js';

export function bodyTooLarge(limit: number): ReceiverError {
  return new ReceiverError(
    ReceiverErrorCode.BODY_TOO_LARGE,
    `body larger than ${limit} bytes (maxBodyBytes)`,
  );
}
