import { ErrorCode } from '../protocol/errors';
import { arrayOf, field, message } from '../protocol/schema';
import { SASL_MECHANISMS } from '../security/sasl-plain';
import { defineApi } from './api';

const request = message('none', [field('mechanism', 'string', '0+')]);
const response = message('none', [field('errorCode', 'int16', '0+'), arrayOf('mechanisms', 'string', '0+')]);

/**
 * v0 switches the connection to bare SASL tokens (kafka-python 2.0.2 does this); v1 expects
 * SaslAuthenticate requests (kafkajs and librdkafka when the broker offers them).
 */
export const saslHandshake = defineApi<{ mechanism: string }, { errorCode: number; mechanisms: string[] }>({
  apiKey: 17,
  name: 'SaslHandshake',
  versions: '0-1',
  request,
  response,
  beforeAuthentication: true,
  handle: (req, context) => {
    const { session } = context;
    if (session.saslPhase !== 'awaiting-handshake') return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
    if (!(SASL_MECHANISMS as readonly string[]).includes(req.mechanism)) {
      session.closeAfterResponse = true;
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [...SASL_MECHANISMS] };
    }
    session.saslPhase = context.apiVersion === 0 ? 'awaiting-raw-token' : 'awaiting-authenticate';
    return { errorCode: ErrorCode.NONE, mechanisms: [...SASL_MECHANISMS] };
  },
});
