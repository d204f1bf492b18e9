import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;

/**
 * SASL/PLAIN users from a properties file (option users_file of the listener's JAAS entry), so user
 * names may hold dots (acme.retail.orders) and passwords any character, which JAAS option names and
 * quoted values do not allow.
 */
public final class MeshformPlainUsers implements AuthenticateCallbackHandler {
  private final Properties users = new Properties();

  @Override
  public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {
    Object file = entries.isEmpty() ? null : entries.get(0).getOptions().get("users_file");
    if (file == null) throw new IllegalArgumentException("MeshformPlainUsers needs the JAAS option users_file");
    try (InputStream in = Files.newInputStream(Paths.get(file.toString()))) {
      users.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read users_file " + file + ": " + e.getMessage());
    }
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    String name = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback) {
        name = ((NameCallback) callback).getDefaultName();
      } else if (callback instanceof PlainAuthenticateCallback) {
        PlainAuthenticateCallback plain = (PlainAuthenticateCallback) callback;
        String expected = name == null ? null : users.getProperty(name);
        plain.authenticated(expected != null && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), new String(plain.password()).getBytes(StandardCharsets.UTF_8)));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  @Override
  public void close() {}
}
