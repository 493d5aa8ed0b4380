package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Timings;
import chat.client.desktop.model.ChatService.Server;
import chat.server.TestServer;
import chat.server.TlsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop's service over TLS, as the login window's "Use TLS" asks for it: the library
 * connects with TLS, asks about the self-signed certificate once (the dialog's place, answered
 * here by the test), remembers it, and signs in. No window: the service is what the box changes.
 */
class LibraryServiceTlsTest {

    @TempDir
    Path dir;

    @Test
    void useTlsSignsInOverTlsAfterOneQuestion() throws Exception {
        var timings = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofMillis(300));
        List<String> asked = new CopyOnWriteArrayList<>();
        Text.use(java.util.Locale.ENGLISH);
        try (var server = TestServer.start(TlsFixture.settings().requireTls(true))) {
            var service = new LibraryService(dir, timings).trusting((s, fingerprint) -> asked.add(s));
            service.listen(Runnable::run, e -> {});
            var at = new Server("127.0.0.1", server.port(), true);
            service.register(at, "dora", "secret-dora").get(20, TimeUnit.SECONDS);
            assertEquals("dora", service.login(at, "dora", "secret-dora").get(20, TimeUnit.SECONDS),
                    "--require-tls on the server: only a TLS login gets in");
            assertTrue(service.client().usesTls());
            assertEquals(List.of("127.0.0.1:" + server.port()), asked);
            assertTrue(Files.readString(dir.resolve("known_hosts")).startsWith("127.0.0.1:" + server.port() + " "));
            service.close();

            // Another installation that says no: the sign-in fails on the certificate, in words.
            var declining = new LibraryService(dir.resolve("other"), timings).trusting((s, fingerprint) -> false);
            declining.listen(Runnable::run, e -> {});
            var refused = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> declining.login(at, "dora", "secret-dora").get(20, TimeUnit.SECONDS));
            var failure = chat.client.desktop.model.ChatFailure.of(refused);
            assertEquals(LibraryService.CERTIFICATE_REFUSED, failure.code());
            assertEquals("the certificate of 127.0.0.1:" + server.port() + " is not trusted", failure.getMessage());
            declining.close();
        }
    }
}
