import { describe, expect, it } from 'vitest';
import { classifyError, DeliveryErrorCode } from '../../src/delivery/errors.js';

function coded(code: string, message = `failed: ${code}`, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

describe('classifyError', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT'],
    ['UND_ERR_HEADERS_TIMEOUT', 'TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'TIMEOUT'],
    ['ETIMEDOUT', 'TIMEOUT'],
    ['ECONNREFUSED', 'CONNECTION_REFUSED'],
    ['ECONNRESET', 'CONNECTION_RESET'],
    ['EPIPE', 'CONNECTION_RESET'],
    ['UND_ERR_SOCKET', 'CONNECTION_RESET'],
    ['EHOSTUNREACH', 'UNREACHABLE'],
    ['ENOTFOUND', 'DNS'],
    ['EAI_AGAIN', 'DNS'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'TLS'],
    ['CERT_HAS_EXPIRED', 'TLS'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'TLS'],
    ['HPE_INVALID_CONSTANT', 'PROTOCOL'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'BODY_INCOMPLETE'],
    ['ERR_INVALID_URL', 'INVALID_URL'],
    ['UND_ERR_INVALID_ARG', 'OTHER'],
  ])('%s → %s', (code, expected) => {
    expect(classifyError(coded(code, 'the message'))).toEqual({
      code: expected,
      message: 'the message',
    });
  });

  it('follows cause chains to the first known code', () => {
    const err = new TypeError('fetch failed', {
      cause: new Error('wrapper', { cause: coded('ECONNREFUSED', 'connect ECONNREFUSED') }),
    });
    expect(classifyError(err)).toEqual({
      code: 'CONNECTION_REFUSED',
      message: 'connect ECONNREFUSED',
    });
  });

  it('prefers the outermost known code', () => {
    const err = coded('UND_ERR_SOCKET', 'other side closed', coded('ECONNREFUSED'));
    expect(classifyError(err).code).toBe('CONNECTION_RESET');
  });

  it("looks into an AggregateError's errors", () => {
    const err = new AggregateError([new Error('x'), coded('ECONNREFUSED')], 'all failed');
    expect(classifyError(err).code).toBe('CONNECTION_REFUSED');
  });

  it('stops on cyclic causes', () => {
    const a = coded('SOMETHING_ELSE', 'a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(classifyError(a)).toEqual({ code: 'OTHER', message: 'a' });
  });

  it('recognises AbortSignal.timeout() reasons and undici parser errors', () => {
    expect(classifyError(new DOMException('timed out', 'TimeoutError')).code).toBe('TIMEOUT');
    const parser = Object.assign(new Error('not HTTP'), {
      [Symbol.for('undici.error.UND_ERR_HTTP_PARSER')]: true,
    });
    expect(classifyError(parser).code).toBe('PROTOCOL');
  });

  it('never reads the message', () => {
    expect(classifyError(new Error('connect ECONNREFUSED 127.0.0.1:80')).code).toBe('OTHER');
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['null', null, 'unknown error'],
    ['undefined', undefined, 'unknown error'],
    ['a number', 42, '42'],
    ['a plain object with a message', { message: 'm' }, 'm'],
    ['a plain object', { a: 1 }, '{"a":1}'],
    ['an error without a message', coded('EPIPE', ''), 'EPIPE'],
  ])('normalises %s', (_title, value, message) => {
    expect(classifyError(value).message).toBe(message);
  });

  it('has codes equal to their names', () => {
    for (const [name, code] of Object.entries(DeliveryErrorCode)) expect(code).toBe(name);
  });
});
