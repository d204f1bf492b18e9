/**
 * A self-signed broker certificate for TLS tests, made by the JDK's keytool (which the kafka peer
 * needs anyway): a PKCS12 keystore for Kafka and the certificate's PEM for clients to trust.
 * Valid for localhost and 127.0.0.1, for two days.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  keystore: string;
  password: string;
  /** The certificate as PEM: what a client passes as its CA. */
  ca: string;
  /** The same PEM in a file (for NODE_EXTRA_CA_CERTS). */
  caFile: string;
}

export function selfSignedKeystore(dir: string): SelfSigned {
  const keystore = join(dir, 'broker.p12');
  const caFile = join(dir, 'broker.pem');
  const password = randomBytes(12).toString('hex');
  const common = ['-alias', 'broker', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', password];
  execFileSync('keytool', ['-genkeypair', ...common, '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2', '-dname', 'CN=localhost', '-ext', 'SAN=dns:localhost,ip:127.0.0.1', '-keypass', password], { stdio: 'pipe' });
  execFileSync('keytool', ['-exportcert', '-rfc', ...common, '-file', caFile], { stdio: 'pipe' });
  return { keystore, password, ca: readFileSync(caFile, 'utf8'), caFile };
}
