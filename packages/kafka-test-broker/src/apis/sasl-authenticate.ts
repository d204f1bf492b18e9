import { ErrorCode } from '../protocol/errors';
import { field, message } from '../protocol/schema';
import { verifyPlainToken } from '../security/sasl-plain';
import { defineApi } from './api';

interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: bigint;
}

const request = message('2+', [field('authBytes', 'bytes', '0+')]);
const response = message('2+', [
  field('errorCode', 'int16', '0+'),
  field('errorMessage', 'string', '0+', { nullable: '0+' }),
  field('authBytes', 'bytes', '0+'),
  field('sessionLifetimeMs', 'int64', '1+'),
]);

/** PLAIN in one round trip. A failure is answered (SASL_AUTHENTICATION_FAILED) and the connection then closed, as Kafka does. */
export const saslAuthenticate = defineApi<{ authBytes: Buffer }, SaslAuthenticateResponse>({
  apiKey: 36,
  name: 'SaslAuthenticate',
  versions: '0-2',
  request,
  response,
  beforeAuthentication: true,
  handle: (req, context) => {
    const { session } = context;
    const empty = { authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
    if (session.saslPhase !== 'awaiting-authenticate') {
      return { ...empty, errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: `Unexpected SaslAuthenticate request in SASL state ${session.saslPhase}` };
    }
    const outcome = verifyPlainToken(req.authBytes, context.settings.saslUsers ?? {});
    if (!outcome.ok) {
      session.closeAfterResponse = true;
      return { ...empty, errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: outcome.reason };
    }
    session.principal = `User:${outcome.user}`;
    session.saslPhase = 'authenticated';
    return { ...empty, errorCode: ErrorCode.NONE, errorMessage: null };
  },
});
